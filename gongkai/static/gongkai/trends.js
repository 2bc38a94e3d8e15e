// Multi-year trend chart of an annual report's main figures (ECharts, from npm).
// Reads the JSON of the element named by data-trends; the table beside it carries
// the same figures for screen readers and printing.
document.addEventListener("DOMContentLoaded", () => {
  for (const box of document.querySelectorAll("[data-trends]")) {
    const source = document.getElementById(box.dataset.trends);
    if (!source || typeof echarts === "undefined") continue;
    const data = JSON.parse(source.textContent);
    const chart = echarts.init(box, null, { renderer: "svg" });
    chart.setOption({
      aria: { enabled: true },
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", top: 0 },
      grid: { left: 40, right: 16, top: 48, bottom: 28 },
      xAxis: { type: "category", data: data.years.map(String) },
      yAxis: { type: "value", minInterval: 1 },
      series: data.series.map((s) => ({ name: s.name, type: "line", data: s.data })),
    });
    box.dataset.ready = "1";
    window.addEventListener("resize", () => chart.resize());
  }
});
