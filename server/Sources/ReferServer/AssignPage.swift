/// The web page's assignment view at `/assign`: a chair loads the conference's files
/// (as HotCRP, OpenReview, CMT or EasyChair export them), sets loads and the objective,
/// and sees each submission's reviewers with their evidence, each excluded reviewer with
/// the rule that excluded them, the statistics, and the CSVs to download. Files are read
/// in the browser and sent as text to `POST /v1/assign/files`; data is inserted as text
/// (never as HTML).
enum AssignPage {
    static let style = #"""
      .grid { display: grid; grid-template-columns: repeat(3, 1fr); gap: 0 1rem; }
      @media (max-width: 800px) { .grid { grid-template-columns: 1fr; } }
      #downloads a { margin-right: 1.2rem; font-weight: 600; }
      #summary { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: .5rem 1rem; }
      #summary p { margin: .25rem 0; }
      .submission { border-top: 1px solid var(--line); padding: .75rem 0; }
      .bid { font-size: .8rem; border: 1px solid var(--line); border-radius: 4px; padding: 0 .3rem; margin-left: .4rem; }
      .rule { font-size: .8rem; background: #fde7e7; color: var(--bad); border-radius: 4px; padding: 0 .3rem; margin-right: .4rem; }
      ol { padding-left: 1.4rem; margin: .25rem 0; } li { margin-bottom: .35rem; }
      .evidence { margin: .1rem 0 0; padding-left: 1.1rem; font-size: .875rem; color: var(--muted); }
      .excluded { font-size: .9rem; margin: .25rem 0 0; padding-left: 1.1rem; }
    """#

    static let html = #"""
    \#(PageParts.head(title: "refer: conference assignment", style: style))
    <body>
    <main>
      <nav>\#(PageParts.nav(current: "/assign"))</nav>
      <h1>Conference assignment</h1>
      <p class="lead">Load the conference's files as its system exports them (HotCRP, OpenReview, CMT, EasyChair or refer's JSON Lines): every submission gets its reviewers, with the papers that justify them, conflicts excluded with their rule, within the loads you set.</p>
      <form id="conference" novalidate>
        <div class="grid">
          <div><label for="submissions">Submissions <span class="hint">(required)</span></label><input id="submissions" type="file"></div>
          <div><label for="format">Format</label>
            <select id="format"><option value="auto">detect</option><option value="hotcrp">HotCRP JSON</option><option value="openreview">OpenReview notes</option>
              <option value="cmt">CMT CSV</option><option value="easychair">EasyChair CSV</option><option value="refer">refer JSON Lines</option></select></div>
          <div><label for="committee">Committee <span class="hint">(default: the store's)</span></label><input id="committee" type="file"></div>
          <div><label for="bids">Bids <span class="hint">(submission_id,reviewer,bid)</span></label><input id="bids" type="file"></div>
          <div><label for="loads">Loads <span class="hint">(reviewer,min,max)</span></label><input id="loads" type="file"></div>
          <div><label for="conflicts">Conflicts <span class="hint">(submission_id,reviewer,reason)</span></label><input id="conflicts" type="file"></div>
          <div><label for="groups">Groups <span class="hint">(reviewer,group)</span></label><input id="groups" type="file"></div>
          <div><label for="groupmin">Group minimums <span class="hint">(senior=1; …)</span></label><input id="groupmin" autocomplete="off"></div>
          <div><label for="objective">Objective</label>
            <select id="objective"><option value="sum">sum: the best total</option><option value="fair">fair: the worst-off submission first</option></select></div>
          <div><label for="per">Reviewers per submission</label><input id="per" type="number" min="1" max="20" value="3"></div>
          <div><label for="minload">Fewest per reviewer</label><input id="minload" type="number" min="0" max="1000" value="0"></div>
          <div><label for="maxload">Most per reviewer</label><input id="maxload" type="number" min="1" max="1000" value="6"></div>
        </div>
        <button id="assign" type="submit">Assign</button>
        <div id="error" role="alert" aria-live="assertive"></div>
      </form>
      <section id="result" hidden aria-live="polite">
        <h2>Result</h2>
        <div id="summary"></div>
        <h2>Downloads</h2>
        <p id="downloads"></p>
        <h2>Submissions</h2>
        <label for="filter">Find a submission or reviewer</label><input id="filter" autocomplete="off">
        <div id="submissionlist"></div>
      </section>
    </main>
    <script>
    \#(PageParts.commonScript)
    const fixed = (x) => x.toFixed(3);
    let links = [];

    async function file(id) {
      const f = $(id).files[0];
      return f ? { name: f.name, text: await f.text() } : undefined;
    }

    function download(name, text, label) {
      const a = el("a", label); a.href = URL.createObjectURL(new Blob([text], { type: "text/csv" })); a.download = name;
      links.push(a.href); return a;
    }

    function show(r) {
      links.forEach(URL.revokeObjectURL); links = [];
      const s = r.stats, summary = $("summary"); summary.replaceChildren();
      summary.append(el("p", `${r.assignment.length} assignments, objective ${s.objective}` + (s.optimal ? " (optimal)" :
        ` (not proven optimal; no assignment gives the worst-off submission more than ${fixed(s.min_paper_bound)})`)));
      summary.append(el("p", `Submission scores (mean affinity): worst ${fixed(s.min_paper_score)}, median ${fixed(s.paper_scores.median)}, mean ${fixed(s.mean_paper_score)}; total ${fixed(s.total_score)}`));
      summary.append(el("p", `Loads from ${s.loads.min} to ${s.loads.max}: ` + Object.entries(s.load_counts).sort((a, b) => a[0] - b[0]).map(([l, n]) => `${n} with ${l}`).join(", ")));
      summary.append(el("p", "Bids of assigned pairs: " + ["yes", "maybe", "neutral", "no", "none"].map((k) => `${k} ${s.bids[k] || 0}`).join(", ")));
      summary.append(el("p", "Conflicts applied: " + (Object.keys(s.conflicts).length ? Object.entries(s.conflicts).map(([k, n]) => `${k} ${n}`).join(", ") : "none")));
      for (const k of s.skipped_submissions || []) summary.append(el("p", `Left out: ${k.id}, ${k.reason}`));
      for (const n of s.notes || []) summary.append(el("p", "Note: " + n));
      const d = $("downloads"); d.replaceChildren();
      d.append(download("assignment.csv", r.downloads.csv, "refer CSV"));
      if (r.downloads.matcher_csv) d.append(download("scores.csv", r.downloads.matcher_csv, "openreview-matcher scores CSV"));
      if (r.downloads.hotcrp_csv) d.append(download("hotcrp-assignment.csv", r.downloads.hotcrp_csv, "HotCRP bulk assignment CSV"));
      if (!r.downloads.matcher_csv) d.append(el("p", "No matcher CSV: " + r.downloads.matcher_csv_problem, "hint"));
      if (!r.downloads.hotcrp_csv) d.append(el("p", "No HotCRP CSV: " + r.downloads.hotcrp_csv_problem, "hint"));
      const bySubmission = new Map();
      for (const p of r.assignment) { if (!bySubmission.has(p.submission_id)) bySubmission.set(p.submission_id, []); bySubmission.get(p.submission_id).push(p); }
      const list = $("submissionlist"); list.replaceChildren();
      for (const sub of r.suggestions) {
        const box = el("article", undefined, "submission"); box.dataset.id = sub.submission_id;
        box.append(el("h3", `${sub.submission_id}: ${sub.title || ""}`));
        const ol = el("ol", undefined, "assigned");
        for (const p of bySubmission.get(sub.submission_id) || []) {
          const li = el("li", undefined, "reviewer"); li.append(el("strong", p.reviewer_id), el("span", fixed(p.score), "score"));
          if (p.bid) li.append(el("span", "bid " + p.bid, "bid"));
          const ev = el("ul", undefined, "evidence");
          for (const e of p.evidence || []) { const item = el("li", e.title); item.append(el("span", fixed(e.score), "score")); ev.append(item); }
          li.append(ev); ol.append(li);
        }
        box.append(ol);
        if (sub.excluded.length) {
          const ex = el("ul", undefined, "excluded");
          for (const e of sub.excluded) { const li = el("li"); li.append(el("span", e.rule, "rule"), el("strong", e.name), document.createTextNode(": " + e.reason)); ex.append(li); }
          const label = el("div", "Excluded", "hint"); box.append(label, ex);
        }
        list.append(box);
      }
      $("result").hidden = false;
      filter();
    }

    function filter() {
      const q = $("filter").value.trim().toLowerCase();
      for (const box of document.querySelectorAll("#submissionlist .submission")) box.hidden = q !== "" && !box.textContent.toLowerCase().includes(q);
    }

    async function assign(event) {
      event.preventDefault();
      $("error").textContent = "";
      const submissions = await file("submissions");
      if (!submissions) { $("error").textContent = "Choose the submissions file."; $("submissions").focus(); return; }
      const body = { submissions, format: $("format").value, objective: $("objective").value,
        reviewers_per_paper: parseInt($("per").value, 10), min_load: parseInt($("minload").value, 10), max_load: parseInt($("maxload").value, 10),
        group_min: $("groupmin").value.split(";").map((x) => x.trim()).filter(Boolean) };
      for (const id of ["committee", "bids", "loads", "groups", "conflicts"]) { const f = await file(id); if (f) body[id] = f; }
      $("assign").disabled = true; document.body.setAttribute("aria-busy", "true");
      try {
        show(await post("/v1/assign/files", body));
      } catch (error) {
        $("error").textContent = error.message; $("result").hidden = true;
      } finally {
        $("assign").disabled = false; document.body.removeAttribute("aria-busy");
      }
    }

    $("conference").addEventListener("submit", assign);
    $("filter").addEventListener("input", filter);
    </script>
    </body>
    </html>
    """#
}
