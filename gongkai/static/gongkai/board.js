// Charts of the supervisor's board (ECharts, from npm). The page carries the data as JSON
// (json_script "board-data"); each element with data-board-chart draws one chart of it:
// "scores" — the agencies' total scores in ranking order (a zoom slider when there are
// many); "indicator" — the chosen indicator for all the board's agencies month by month;
// "late" — late publications and late replies to requests by month. The table below the
// charts carries the same figures for screen readers and printing.
document.addEventListener("DOMContentLoaded", () => {
  const charts = [];
  const options = {
    scores(data) {
      const s = data.scores;
      const many = s.agencies.length > 30;
      return {
        grid: { left: 48, right: 16, top: 24, bottom: many ? 96 : 72 },
        tooltip: { trigger: "axis" },
        xAxis: {
          type: "category",
          data: s.agencies,
          axisLabel: { rotate: 40, interval: 0, width: 90, overflow: "truncate" },
        },
        yAxis: { type: "value", max: s.max },
        dataZoom: many ? [{ type: "slider", startValue: 0, endValue: 29, bottom: 8 }] : [],
        series: [{ name: s.name, type: "bar", barMaxWidth: 48, data: s.scores }],
      };
    },
    indicator(data) {
      const i = data.indicator;
      if (!i) return null;
      return {
        grid: { left: 48, right: 48, top: 40, bottom: 28 },
        tooltip: { trigger: "axis" },
        legend: { type: "scroll", top: 0, textStyle: { width: 160, overflow: "truncate" } },
        xAxis: { type: "category", data: data.months },
        yAxis: [
          { type: "value", name: i.unit, max: i.kind === "rate" ? 100 : null },
          { type: "value", minInterval: 1 },
        ],
        series: [
          { name: i.name, type: "line", data: i.values, connectNulls: false },
          { name: i.exceptions_name, type: "bar", yAxisIndex: 1, data: i.exceptions },
        ],
      };
    },
    late(data) {
      return {
        grid: { left: 40, right: 16, top: 40, bottom: 28 },
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        xAxis: { type: "category", data: data.months },
        yAxis: { type: "value", minInterval: 1 },
        series: data.late.map((s) => ({ name: s.name, type: "bar", barMaxWidth: 24, data: s.data })),
      };
    },
  };
  for (const box of document.querySelectorAll("[data-board-chart]")) {
    const source = document.getElementById(box.dataset.source);
    const make = options[box.dataset.boardChart];
    if (!source || !make || typeof echarts === "undefined") continue;
    const option = make(JSON.parse(source.textContent));
    if (!option) continue;
    const chart = echarts.init(box);
    chart.setOption({ aria: { enabled: true }, ...option });
    charts.push(chart);
    box.dataset.ready = "1";
  }
  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
});
