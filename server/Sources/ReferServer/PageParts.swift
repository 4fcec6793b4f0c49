/// What both pages share: the document head with the common style, the navigation, and
/// the script helpers (`$`, `el`, `post`, which turns an error answer into its message).
enum PageParts {
    static func head(title: String, style: String) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title)</title>
        <style>
        \(commonStyle)\(style)
        </style>
        </head>
        """
    }

    static func nav(current: String) -> String {
        [("/", "Similar papers and reviewers"), ("/assign", "Conference assignment")]
            .map { #"<a href="\#($0.0)""# + ($0.0 == current ? #" aria-current="page""# : "") + ">\($0.1)</a>" }
            .joined()
    }

    static let commonStyle = #"""
      :root { --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --accent: #0b5cad; --bad: #b42318; --bg: #fff; --soft: #f6f8fa; }
      * { box-sizing: border-box; }
      body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); margin: 0; }
      main { max-width: 1100px; margin: 0 auto; padding: 1.5rem; }
      nav a { margin-right: 1rem; } nav { margin-bottom: .5rem; }
      h1 { font-size: 1.5rem; margin: 0 0 .25rem; } h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
      p.lead { color: var(--muted); margin-top: 0; }
      label { display: block; font-weight: 600; margin: .75rem 0 .25rem; }
      input, textarea, select { width: 100%; font: inherit; padding: .5rem; border: 1px solid var(--line); border-radius: 6px; }
      input:focus, textarea:focus, select:focus, button:focus, a:focus { outline: 3px solid #8cb8ff; outline-offset: 1px; }
      button { font: inherit; font-weight: 600; padding: .55rem 1.2rem; border: 0; border-radius: 6px; background: var(--accent); color: #fff; cursor: pointer; }
      button[disabled] { opacity: .6; cursor: progress; }
      .hint { color: var(--muted); font-size: .875rem; font-weight: normal; }
      #error { color: var(--bad); font-weight: 600; margin: .75rem 0; white-space: pre-wrap; }
      .score { font-variant-numeric: tabular-nums; color: var(--muted); font-size: .875rem; margin-left: .4rem; }
    """#

    static let commonScript = #"""
    "use strict";
    const $ = (id) => document.getElementById(id);
    function el(tag, text, cls) { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; }

    async function post(path, body) {
      const response = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
      let data = null;
      try { data = await response.json(); } catch (_) { /* not JSON */ }
      if (!response.ok) throw new Error((data && data.error && data.error.message) || ("HTTP " + response.status));
      return data;
    }
    """#
}
