-- PSMA database and roles for a hosted PostgreSQL (with pgvector). Run once, as a superuser
-- (or a managed service's admin role), with psql 15 or newer:
--
--   PSMA_OWNER_PASSWORD=… PSMA_APP_PASSWORD=… \
--     psql -v ON_ERROR_STOP=1 -d postgres -f deploy/postgres/init.sql
--
-- The pgvector/pgvector image runs it by itself on first start when it is mounted into
-- /docker-entrypoint-initdb.d/ (see deploy/docker-compose.yml). It is safe to run again: it
-- creates what is missing and (re)sets the passwords it is given.
--
-- Two roles, see docs/adr/0003-tenant-boundary.md:
--   psma_owner  owns the database and, through `psma migrate up`, every table. Not a superuser.
--   psma_app    what `psma serve` and `psma worker` connect as: DML only, NOSUPERUSER and
--               NOBYPASSRLS, so the tenant row-level security policies bind it.
--
-- Passwords never live in this file: they are read from the environment of psql
-- (PSMA_OWNER_PASSWORD, PSMA_APP_PASSWORD). A role whose variable is unset is created without a
-- password; give it one later with `ALTER ROLE … PASSWORD …` (or use another authentication
-- method in pg_hba.conf).

\set ON_ERROR_STOP on
\getenv owner_password PSMA_OWNER_PASSWORD
\getenv app_password PSMA_APP_PASSWORD

-- Roles -------------------------------------------------------------------------------------

SELECT NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'psma_owner') AS create_owner,
       NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'psma_app') AS create_app \gset

\if :create_owner
CREATE ROLE psma_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
\endif
\if :create_app
CREATE ROLE psma_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
\endif

-- Roles that existed before must not be stronger than that: a superuser or BYPASSRLS role is
-- not bound by row-level security, which would silently void the tenant boundary.
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles
               WHERE rolname IN ('psma_owner', 'psma_app') AND (rolsuper OR rolbypassrls)) THEN
        RAISE EXCEPTION 'psma_owner and psma_app must be NOSUPERUSER NOBYPASSRLS';
    END IF;
END
$$;

\if :{?owner_password}
ALTER ROLE psma_owner PASSWORD :'owner_password';
\else
\warn 'PSMA_OWNER_PASSWORD is not set: the password of psma_owner is left as it is (none for a new role)'
\endif
\if :{?app_password}
ALTER ROLE psma_app PASSWORD :'app_password';
\else
\warn 'PSMA_APP_PASSWORD is not set: the password of psma_app is left as it is (none for a new role)'
\endif

-- The database, owned by psma_owner ------------------------------------------------------------

SELECT NOT EXISTS (SELECT FROM pg_database WHERE datname = 'psma') AS create_database \gset
\if :create_database
CREATE DATABASE psma OWNER psma_owner ENCODING 'UTF8' TEMPLATE template0;
\else
ALTER DATABASE psma OWNER TO psma_owner;
\endif

-- Only the two roles (and superusers) may connect.
REVOKE ALL ON DATABASE psma FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE psma TO psma_app;

\connect psma

-- Inside the database --------------------------------------------------------------------------

-- Creating pgvector needs a superuser; the first migration runs
-- `CREATE EXTENSION IF NOT EXISTS vector`, which is then a no-op for psma_owner.
CREATE EXTENSION IF NOT EXISTS vector;

-- PostgreSQL 15+ no longer lets every role create in schema public (and PSMA does not want
-- that on older versions either): only the owner creates tables, the app role only uses them.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO psma_owner;
GRANT USAGE ON SCHEMA public TO psma_app;

-- Tables and sequences that psma_owner creates from now on (every migration) are usable by
-- psma_app for DML only: no DDL, no TRUNCATE, no REFERENCES, no TRIGGER.
ALTER DEFAULT PRIVILEGES FOR ROLE psma_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO psma_app;
ALTER DEFAULT PRIVILEGES FOR ROLE psma_owner IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO psma_app;

-- When this script is run again after migrations: the same grants on what already exists.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO psma_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO psma_app;
