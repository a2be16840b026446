//! The web UI over HTTP: pages, assets, errors as pages, the names the server answers to.
//! (Journeys in a real browser live in `xtask/ui`; these check what a browser is sent.)

mod catalog_pages;
mod edge;
mod forms;
mod hosted;
mod pages;
mod plan;
mod profile;

use crate::support::TestApp;

/// A page as a browser asks for it: status, content type, CSP, body.
pub struct Page {
    pub status: u16,
    pub content_type: String,
    pub csp: String,
    pub body: String,
}

/// `GET path` with a browser's `Accept`, as a first visit.
pub async fn page(app: &TestApp, path: &str) -> Page {
    Browser::new(app).get(path).await
}

/// Every page may run only this server's script and style: no inline script, no `style=`, no
/// event-handler attribute (the CSP would block them, silently for the reader).
pub fn assert_csp_clean(html: &str) {
    assert!(!html.contains("<script>"), "inline script");
    assert!(!html.contains(" style="), "inline style");
    let lower = html.to_ascii_lowercase();
    for handler in [
        " onclick=",
        " onload=",
        " onerror=",
        " onsubmit=",
        " onchange=",
        " oninput=",
    ] {
        assert!(!lower.contains(handler), "inline handler {handler}");
    }
}

/// `text` as the templates escape it.
pub fn escape(text: &str) -> String {
    text.replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

/// A browser's session with the UI: it keeps the form-token cookie and fills in `_csrf`, as a
/// page's forms do.
pub struct Browser<'a> {
    pub app: &'a TestApp,
    /// Cookies kept: name, value, path.
    cookies: Vec<(String, String, String)>,
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Self {
            app,
            cookies: Vec::new(),
        }
    }

    /// The form token the cookie carries (after a first page visit).
    pub fn token(&self) -> String {
        self.cookie_value("psma_csrf").unwrap()
    }

    /// The value of cookie `name`, if the browser holds it.
    pub fn cookie_value(&self, name: &str) -> Option<String> {
        self.cookies
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, v, _)| v.clone())
    }

    /// Forgets cookie `name` (as a browser does when it expires).
    pub fn forget(&mut self, name: &str) {
        self.cookies.retain(|(n, _, _)| n != name);
    }

    /// The `Cookie` header a browser sends to `path`.
    fn cookie_header(&self, path: &str) -> Option<String> {
        let sent: Vec<String> = self
            .cookies
            .iter()
            .filter(|(_, _, p)| path.starts_with(p.as_str()))
            .map(|(n, v, _)| format!("{n}={v}"))
            .collect();
        (!sent.is_empty()).then(|| sent.join("; "))
    }

    fn keep_cookie(&mut self, res: &reqwest::Response) {
        for value in res.headers().get_all("set-cookie") {
            let value = value.to_str().unwrap();
            let mut parts = value.split(';').map(str::trim);
            let (name, val) = parts.next().unwrap().split_once('=').unwrap();
            let mut path = "/".to_owned();
            let mut gone = val.is_empty();
            for attr in parts {
                if let Some(p) = attr.strip_prefix("Path=") {
                    p.clone_into(&mut path);
                }
                if attr == "Max-Age=0" {
                    gone = true;
                }
            }
            self.forget(name);
            if !gone {
                self.cookies.push((name.to_owned(), val.to_owned(), path));
            }
        }
    }

    /// `GET path` as a page, the response as it came (for redirects).
    pub async fn get_raw(&mut self, path: &str) -> reqwest::Response {
        let mut req = self
            .app
            .request(reqwest::Method::GET, path)
            .header("accept", "text/html");
        if let Some(cookie) = self.cookie_header(path) {
            req = req.header("cookie", cookie);
        }
        let res = req.send().await.unwrap();
        self.keep_cookie(&res);
        res
    }

    /// `GET path` as a page.
    pub async fn get(&mut self, path: &str) -> Page {
        let mut req = self
            .app
            .request(reqwest::Method::GET, path)
            .header("accept", "text/html");
        if let Some(cookie) = self.cookie_header(path) {
            req = req.header("cookie", cookie);
        }
        let res = req.send().await.unwrap();
        self.keep_cookie(&res);
        let header = |name: &str| {
            res.headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default()
        };
        let (content_type, csp) = (header("content-type"), header("content-security-policy"));
        Page {
            status: res.status().as_u16(),
            content_type,
            csp,
            body: res.text().await.unwrap(),
        }
    }

    /// `POST path` as a form from one of this server's pages, with the token.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let token = self.token();
        let mut all: Vec<(&str, &str)> = vec![("_csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all, &[("sec-fetch-site", "same-origin")])
            .await
    }

    /// `POST path` with exactly `fields` and `headers` (and the cookie).
    pub async fn post_raw(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> reqwest::Response {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let mut req = self
            .app
            .request(reqwest::Method::POST, path)
            .header("accept", "text/html")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        if let Some(cookie) = self.cookie_header(path) {
            req = req.header("cookie", cookie);
        }
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        let res = req.send().await.unwrap();
        self.keep_cookie(&res);
        res
    }
}

impl Browser<'_> {
    /// `POST /import` as the upload form sends it: `multipart/form-data` with the token, the
    /// source name and the file.
    pub async fn upload(
        &mut self,
        file_name: &str,
        content_type: &str,
        file: &str,
        source_id: &str,
    ) -> reqwest::Response {
        let token = self.token();
        self.upload_parts(file_name, content_type, file, source_id, &token)
            .await
    }

    /// As [`Self::upload`], a CSV with `token` as the form's token.
    pub async fn upload_with_token(
        &mut self,
        file_name: &str,
        file: &str,
        token: &str,
    ) -> reqwest::Response {
        self.upload_parts(file_name, "text/csv", file, "", token)
            .await
    }

    async fn upload_parts(
        &mut self,
        file_name: &str,
        content_type: &str,
        file: &str,
        source_id: &str,
        token: &str,
    ) -> reqwest::Response {
        let boundary = "----psma-test-boundary-7MA4YWxkTrZu0gW";
        let mut body = String::new();
        for (name, value) in [("_csrf", token), ("source_id", source_id)] {
            body.push_str(&format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            ));
        }
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n{file}\r\n--{boundary}--\r\n"
        ));
        let mut req = self
            .app
            .request(reqwest::Method::POST, "/import")
            .header("accept", "text/html")
            .header("sec-fetch-site", "same-origin")
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body);
        if let Some(cookie) = self.cookie_header("/import") {
            req = req.header("cookie", cookie);
        }
        let res = req.send().await.unwrap();
        self.keep_cookie(&res);
        res
    }
}

/// Where a 303 sends the browser.
pub fn see_other(res: &reqwest::Response) -> String {
    assert_eq!(res.status(), 303, "expected a redirect after the form");
    res.headers()["location"].to_str().unwrap().to_owned()
}
