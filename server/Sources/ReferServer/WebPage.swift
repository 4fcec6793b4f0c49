/// The one web page at `/`: paste a draft, see similar papers, suggested reviewers with
/// their evidence, and the conflicts removed. No build step, no external assets; data
/// is inserted as text (never as HTML); Ctrl+Enter submits from any field.
enum WebPage {
    static let style = #"""
      textarea { min-height: 9rem; resize: vertical; }
      .row { display: flex; gap: 1rem; align-items: end; flex-wrap: wrap; }
      .row > div { flex: 1; min-width: 12rem; } .row > .small { flex: 0 0 7rem; min-width: 7rem; }
      .columns { display: grid; grid-template-columns: 1fr 1fr; gap: 2rem; }
      @media (max-width: 800px) { .columns { grid-template-columns: 1fr; } }
      ol { padding-left: 1.4rem; } li { margin-bottom: .8rem; }
      .meta { color: var(--muted); font-size: .875rem; }
      .evidence { margin: .25rem 0 0; padding-left: 1.1rem; font-size: .9rem; } .evidence li { margin-bottom: .2rem; }
      #excluded li { margin-bottom: .3rem; }
    """#

    static let html = #"""
    \#(PageParts.head(title: "refer: similar papers and reviewers", style: style))
    <body>
    <main>
      <nav>\#(PageParts.nav(current: "/"))</nav>
      <h1>refer</h1>
      <p class="lead">Paste a draft's title and abstract: the most similar published papers, and the reviewers best placed to review it, with the papers that justify each.</p>
      <form id="draft" novalidate>
        <label for="title">Title</label>
        <input id="title" name="title" autocomplete="off" maxlength="1000" autofocus>
        <label for="abstract">Abstract</label>
        <textarea id="abstract" name="abstract" maxlength="20000"></textarea>
        <div class="row">
          <div>
            <label for="authors">Authors <span class="hint">(optional, for conflicts of interest: "Name; Name (Affiliation)")</span></label>
            <input id="authors" name="authors" autocomplete="off">
          </div>
          <div class="small">
            <label for="k">How many</label>
            <input id="k" name="k" type="number" min="1" max="100" value="10">
          </div>
          <div class="small"><button id="submit" type="submit">Search</button></div>
        </div>
        <p class="hint">Ctrl+Enter searches from any field.</p>
        <div id="error" role="alert" aria-live="assertive"></div>
      </form>
      <div class="columns" aria-live="polite">
        <section aria-labelledby="papers-heading">
          <h2 id="papers-heading">Similar papers</h2>
          <ol id="papers"></ol>
        </section>
        <section aria-labelledby="reviewers-heading">
          <h2 id="reviewers-heading">Suggested reviewers</h2>
          <ol id="reviewers"></ol>
          <h2 id="excluded-heading" hidden>Conflicts of interest removed</h2>
          <ul id="excluded" aria-labelledby="excluded-heading"></ul>
        </section>
      </div>
    </main>
    <script>
    \#(PageParts.commonScript)
    function score(x) { return el("span", x.toFixed(3), "score"); }

    function showPapers(papers) {
      const list = $("papers"); list.replaceChildren();
      if (papers.length === 0) list.append(el("li", "No papers in the store."));
      for (const p of papers) {
        const li = el("li");
        const link = el("a", p.title); link.href = "/v1/papers/" + encodeURIComponent(p.id);
        li.append(link, score(p.score));
        const meta = [p.venue, p.year].filter((x) => x !== undefined && x !== null).join(" ");
        li.append(el("div", [meta, (p.authors || []).join(", ")].filter(Boolean).join(" · "), "meta"));
        list.append(li);
      }
    }

    function showReviewers(answer) {
      const list = $("reviewers"); list.replaceChildren();
      if (answer.reviewers.length === 0) list.append(el("li", "No reviewer left after conflicts."));
      for (const r of answer.reviewers) {
        const li = el("li"); li.className = "reviewer";
        li.append(el("strong", r.name), score(r.score));
        const ev = el("ul", undefined, "evidence");
        for (const e of r.evidence) { const item = el("li", e.title); item.append(score(e.score)); ev.append(item); }
        li.append(ev); list.append(li);
      }
      const ex = $("excluded"); ex.replaceChildren();
      $("excluded-heading").hidden = answer.excluded.length === 0;
      for (const e of answer.excluded) { const li = el("li"); li.append(el("strong", e.name), document.createTextNode(": " + e.reason)); ex.append(li); }
    }

    async function search(event) {
      if (event) event.preventDefault();
      const title = $("title").value.trim(), abstract = $("abstract").value.trim();
      const authors = $("authors").value.split(";").map((s) => s.trim()).filter(Boolean);
      const k = parseInt($("k").value, 10);
      $("error").textContent = "";
      if (!title && !abstract) { $("error").textContent = "Give a title or an abstract."; $("title").focus(); return; }
      if (!(k >= 1 && k <= 100)) { $("error").textContent = "How many: a number from 1 to 100."; $("k").focus(); return; }
      const body = { title, abstract, authors, k };
      $("submit").disabled = true; document.body.setAttribute("aria-busy", "true");
      try {
        const [similar, reviewers] = await Promise.all([post("/v1/similar", body), post("/v1/reviewers", body)]);
        showPapers(similar.papers); showReviewers(reviewers);
      } catch (error) {
        $("error").textContent = error.message;
      } finally {
        $("submit").disabled = false; document.body.removeAttribute("aria-busy");
      }
    }

    $("draft").addEventListener("submit", search);
    document.addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) search(e); });
    </script>
    </body>
    </html>
    """#
}
