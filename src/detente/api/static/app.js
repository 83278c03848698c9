// Dashboard behaviour: switching process keeps the page kind; the signal chart is drawn from
// JSON embedded in the page; clicking a bar lists its records. No network requests.
(function () {
  const select = document.getElementById("process-select");
  if (select) {
    select.addEventListener("change", () => {
      const name = encodeURIComponent(select.value);
      const page = document.body.dataset.page;
      if (!select.value) { window.location.href = "/ui/events"; return; }
      if (page === "events" || page === "alerts") {
        const params = new URLSearchParams(window.location.search);
        params.set("process", select.value);
        params.delete("cursor");
        window.location.href = `/ui/${page}?${params}`;
      } else if (page === "positions") {
        window.location.href = `/ui/process/${name}/positions`;
      } else {
        window.location.href = `/ui/process/${name}`;
      }
    });
  }

  const data = document.getElementById("signal-data");
  const chart = document.getElementById("signal-chart");
  if (data && chart && window.Plotly) {
    const points = JSON.parse(data.textContent);
    const colors = points.map((p) => (p.index >= 0 ? "#2a7f62" : "#b23a48"));
    window.Plotly.newPlot(chart, [{
      type: "bar", x: points.map((p) => p.week_start), y: points.map((p) => p.index),
      marker: { color: colors }, customdata: points.map((p) => p.week),
      hovertemplate: "week %{customdata}: %{y:.0f}<extra></extra>",
    }], {
      margin: { l: 50, r: 10, t: 10, b: 40 }, yaxis: { range: [-100, 100], title: "index" },
      xaxis: { type: "date" }, template: "plotly_white",
    }, { responsive: true, displaylogo: false });
    // A bar opens the event browser on that week of this process.
    chart.on("plotly_click", (ev) => {
      const point = ev.points && ev.points[0];
      if (!point) return;
      const start = points[point.pointIndex].week_start;
      const end = new Date(start + "T00:00:00Z");
      end.setUTCDate(end.getUTCDate() + 6);
      const params = new URLSearchParams({
        process: chart.dataset.process, since: start, until: end.toISOString().slice(0, 10),
      });
      window.location.href = `/ui/events?${params}`;
    });
  }

  const evidence = document.getElementById("evidence");
  if (evidence) evidence.scrollIntoView({ block: "center" });
})();
