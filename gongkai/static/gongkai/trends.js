// Multi-year trend charts of an annual report's figures (ECharts, from npm).
// Each element with data-trends reads the JSON of the element it names and draws the
// series of its data-group (requests, catalog, records); a year without a figure for a
// series is a gap. The table beside the charts carries the same figures for screen
// readers and printing.
document.addEventListener("DOMContentLoaded", () => {
  for (const box of document.querySelectorAll("[data-trends]")) {
    const source = document.getElementById(box.dataset.trends);
    if (!source || typeof echarts === "undefined") continue;
    const data = JSON.parse(source.textContent);
    const group = box.dataset.group;
    const series = data.series.filter((s) => !group || s.group === group);
    // Canvas, and the tooltip drawn on it (richText): the SVG renderer and the HTML
    // tooltip write style attributes, which the Content-Security-Policy refuses.
    const chart = echarts.init(box, null, { renderer: "canvas" });
    chart.setOption({
      aria: { enabled: true },
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { type: "scroll", top: 0 },
      grid: { left: 48, right: 16, top: 56, bottom: 28 },
      xAxis: { type: "category", data: data.years.map(String) },
      yAxis: { type: "value", minInterval: 1 },
      series: series.map((s) => ({
        name: s.name,
        type: "line",
        data: s.data,
        connectNulls: false,
      })),
    });
    box.dataset.ready = "1";
    window.addEventListener("resize", () => chart.resize());
  }
});
