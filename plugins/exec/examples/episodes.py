#!/usr/bin/env python3
"""A PSMA exec plugin: one made-up show, its episodes and where it streams (docs/plugins.md)."""
import json, sys

SPEC = {
    "type": "spec", "display_name": "Lantern listings", "version": "1.0",
    "capabilities": {"scopes": ["all"], "fact_kinds": ["show_identity", "availability", "episode"]},
    "attribution": "Made-up listings from the PSMA exec example",
    "config_schema": {"type": "object", "properties": {"country": {"type": "string", "pattern": "^[A-Z]{2}$"}}},
}

def facts(request):
    show, sure = "lantern-keepers", {"confidence": 0.9}  # source_id and retrieved_at are filled in
    yield {"kind": "show_identity", "show": show, "title": "The Lantern Keepers", "year": 2025,
           "show_type": "tv", "external_ids": {request["source_id"]: show}, "provenance": sure}
    yield {"kind": "availability", "show": show, "service_id": "netflix", "monetization": "flatrate",
           "country": request["config"].get("country", "US"), "available_from": "2025-03-07", "provenance": sure}
    for number, day in [(1, "2025-03-07"), (2, "2025-03-14")]:
        yield {"kind": "episode", "show": show, "season": 1, "number": number, "air_date": day, "provenance": sure}

request = json.loads(sys.stdin.readline())  # one request: spec, check or read
if request["type"] == "spec":
    print(json.dumps(SPEC))
elif request["type"] == "check":
    print(json.dumps({"type": "ok"}))
elif request["type"] == "read":
    for fact in facts(request):
        print(json.dumps(fact))
else:  # protocol 1: a request the program does not know gets an error
    print(json.dumps({"type": "error", "kind": "config", "message": "unsupported request " + request["type"]}))
