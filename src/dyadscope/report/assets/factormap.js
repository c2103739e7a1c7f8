// Controls of the brief's factor map (dyadscope.report.factormap): link-weight filter,
// neighbourhood search, and the switch to the view by kind. Python fills in the placeholders.
window.addEventListener("load", function () {
  var data = %(data)s, gd = document.getElementById("%(net)s"),
      agg = document.getElementById("%(agg)s"), box = document.getElementById("%(box)s");
  if (!gd || !window.Plotly) return;
  var slider = box.querySelector("input[type=range]"), out = box.querySelector("output"),
      search = box.querySelector("input[type=search]"), clear = box.querySelector(".fm-clear"),
      views = box.querySelectorAll("button[data-view]");
  var focus = null;
  function neighbours(id) {
    var s = {}; s[id] = true;
    data.edges.forEach(function (e) { if (e.s === id) s[e.t] = true; if (e.t === id) s[e.s] = true; });
    return s;
  }
  function apply() {
    var min = parseFloat(slider.value), keep = focus ? neighbours(focus) : null, upd = {}, shown = 0;
    data.edges.forEach(function (e, i) {
      var on = Math.abs(e.w) >= min && (!focus || e.s === focus || e.t === focus);
      upd["annotations[" + i + "].visible"] = on; if (on) shown++;
    });
    Plotly.relayout(gd, upd);
    var op = [], idx = [];
    data.nodes.forEach(function (ids, k) {
      idx.push(k + 1);
      op.push(ids.map(function (id) { return !keep || keep[id] ? 1 : 0.15; }));
    });
    Plotly.restyle(gd, {"marker.opacity": op, "textfont.color": op.map(function (o) {
      return o.map(function (v) { return v === 1 ? "#1b1f24" : "#c4c8cc"; }); })}, idx);
    out.textContent = shown + " of " + data.edges.length + " links shown";
  }
  slider.addEventListener("input", apply);
  search.addEventListener("change", function () {
    var hit = data.labels[search.value.trim().toLowerCase()];
    focus = hit || null; apply();
  });
  clear.addEventListener("click", function () { search.value = ""; focus = null; apply(); });
  function show(view) {
    views.forEach(function (b) { b.setAttribute("aria-pressed", String(b.dataset.view === view)); });
    document.getElementById(box.id + "-factors").hidden = view !== "factors";
    document.getElementById(box.id + "-kinds").hidden = view !== "kinds";
    Plotly.Plots.resize(view === "factors" ? gd : agg);
  }
  views.forEach(function (b) { b.addEventListener("click", function () { show(b.dataset.view); }); });
  if (window.matchMedia && window.matchMedia("(max-width: 700px)").matches) show("kinds");
  apply();
});
