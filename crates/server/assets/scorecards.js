// Analysis and scorecard charts. Each [data-chart] element loads its scorecard JSON from the API (same
// query as the page) and draws it with the vendored ECharts; the table under each chart holds
// the same numbers, so nothing is lost when scripts or charts are unavailable.
(function () {
  var en = document.documentElement.lang === 'en';
  function t(zh, e) { return en ? e : zh; }
  // ECharts leaves a gap for '-' where a rate has no denominator (null in the API).
  function val(x) { return x === null || x === undefined ? '-' : x; }
  var RED = '#C8161D', BLUE = '#2f6db5', GREEN = '#2e8b57', GOLD = '#d4a017';
  var charts = [];

  function labels(card) { return card.groups.map(function (g) { return g.label; }); }

  function trend(card) {
    var g = card.groups;
    return {
      color: [BLUE, GREEN, RED],
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 48, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: labels(card) },
      yAxis: [
        { type: 'value', name: t('件', 'cases'), minInterval: 1 },
        { type: 'value', name: '%', min: 0, max: 100, splitLine: { show: false } }
      ],
      series: [
        { name: t('上报', 'Reported'), type: 'line', data: g.map(function (x) { return x.counters.reported; }) },
        { name: t('结案', 'Closed'), type: 'line', data: g.map(function (x) { return x.counters.closed; }) },
        { name: t('按期结案率', 'On-time closing rate'), type: 'line', yAxisIndex: 1, connectNulls: false,
          data: g.map(function (x) { return val(x.rates.on_time_closing_rate); }) },
        { name: t('满意率', 'Satisfaction rate'), type: 'line', yAxisIndex: 1, connectNulls: false,
          data: g.map(function (x) { return val(x.rates.satisfaction_rate); }) }
      ]
    };
  }

  // Reported and closed cases of each group, with the satisfaction rate on its own axis.
  function volume(card) {
    var g = card.groups, many = g.length > 4;
    return {
      color: [BLUE, GREEN, RED],
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 48, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: labels(card), axisLabel: { interval: 0, rotate: many ? 30 : 0 } },
      yAxis: [
        { type: 'value', name: t('件', 'cases'), minInterval: 1 },
        { type: 'value', name: '%', min: 0, max: 100, splitLine: { show: false } }
      ],
      series: [
        { name: t('上报', 'Reported'), type: 'bar', data: g.map(function (x) { return x.counters.reported; }) },
        { name: t('结案', 'Closed'), type: 'bar', data: g.map(function (x) { return x.counters.closed; }) },
        { name: t('满意率', 'Satisfaction rate'), type: 'line', yAxisIndex: 1,
          data: g.map(function (x) { return val(x.rates.satisfaction_rate); }) }
      ]
    };
  }

  // Each group's share of the reports.
  function share(card) {
    return {
      color: [BLUE, GREEN, GOLD, RED, '#7a5195', '#ef5675', '#ffa600', '#58508d'],
      tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
      legend: { top: 0 },
      series: [{
        type: 'pie', radius: ['35%', '65%'], top: 40,
        data: card.groups.map(function (x) { return { name: x.label, value: x.counters.reported }; })
      }]
    };
  }

  var KINDS = { trend: trend, rates: rates, volume: volume, share: share };

  function rates(card) {
    var keys = [
      ['closing_rate', t('结案率', 'Closing rate')],
      ['on_time_closing_rate', t('按期结案率', 'On-time closing rate')],
      ['on_time_handling_rate', t('按期处置率', 'On-time handling rate')],
      ['composite', t('综合成绩', 'Composite score')]
    ];
    var many = card.groups.length > 4;
    return {
      color: [BLUE, GREEN, GOLD, RED],
      tooltip: { trigger: 'axis', valueFormatter: function (v) { return v === '-' ? '—' : v + '%'; } },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 48, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: labels(card), axisLabel: { interval: 0, rotate: many ? 30 : 0 } },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      series: keys.map(function (k) {
        return { name: k[1], type: 'bar', data: card.groups.map(function (x) { return val(x.rates[k[0]]); }) };
      })
    };
  }

  document.querySelectorAll('[data-chart]').forEach(function (el) {
    fetch(el.getAttribute('data-src'), { credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (card) {
        var chart = echarts.init(el);
        chart.setOption((KINDS[el.getAttribute('data-chart')] || rates)(card));
        charts.push(chart);
      })
      .catch(function () {
        el.textContent = t('图表未能加载，数据见下表。', 'The chart could not load; the table below has the numbers.');
      });
  });
  window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });
})();
