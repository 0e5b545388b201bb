// Serves FEEDS synthetic WordPress-style feeds of ITEMS items each on 127.0.0.1:PORT, and writes a matching config.
// Every tenth item carries the Pakistan Today fixture article, which the config's rule matches. The same port answers
// getMe and sendMessage like the Bot API (POST /bot{token}/…), so sweeps can deliver without reaching Telegram.
// Usage: node scripts/bench/feeds.js PORT FEEDS ITEMS CONFIG_OUT
const http = require('http');
const fs = require('fs');
const path = require('path');

const [port, feedCount, itemCount, configOut] = [Number(process.argv[2]), Number(process.argv[3]), Number(process.argv[4]), process.argv[5]];
const escape = s => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fixture = fs.readFileSync(path.join(__dirname, '../../tests/Syndication.Tests/testdata/pakistan-today-kayani.txt'), 'utf8')
  .split('\n').map(l => l.trim()).filter(l => l && l !== 'Pakistan Today' && l !== 'Exit mobile version').slice(1);
const article = fixture.map(p => `<p>${escape(p)}</p>`).join('');
const filler = '<p>Markets rose on trade hopes. Analysts were cautious about the outlook.</p>'.repeat(20);
const start = Date.UTC(2026, 10, 28, 6, 0);

// Each feed has a version; /bump?fraction=0.1 adds one new item to that share of the feeds.
const versions = new Array(feedCount).fill(0);
const feeds = [];
function render(f) {
  const items = [];
  for (let n = 0; n < versions[f]; n++) {
    items.push(`<item><title>Kayani update ${f}-${n}</title><link>http://127.0.0.1:${port}/f${f}/new-${n}</link>` +
      `<guid isPermaLink="false">f${f}-new-${n}</guid><pubDate>${new Date(start + (n + 1) * 600000).toUTCString()}</pubDate>` +
      `<content:encoded><![CDATA[${article}]]></content:encoded></item>`);
  }
  for (let i = 0; i < itemCount; i++) {
    const kayani = i % 10 === 0;
    items.push(`<item><title>${kayani ? 'Kayani balks at US demands' : 'Markets story'} ${f}-${i}</title>` +
      `<link>http://127.0.0.1:${port}/f${f}/${i}</link><guid isPermaLink="false">f${f}-${i}</guid>` +
      `<pubDate>${new Date(start - i * 600000).toUTCString()}</pubDate>` +
      `<description><![CDATA[<p>Teaser ${i}</p>]]></description>` +
      `<content:encoded><![CDATA[${kayani ? article : filler}]]></content:encoded></item>`);
  }
  feeds[f] = '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">' +
    `<channel><title>Bench ${f}</title><link>http://127.0.0.1:${port}/</link><description>bench</description>${items.join('')}</channel></rss>`;
}
for (let f = 0; f < feedCount; f++) render(f);
let requests = 0, notModified = 0, sent = 0;

fs.writeFileSync(configOut, JSON.stringify({
  feeds: feeds.map((_, f) => ({ id: `bench-${f}`, url: `http://127.0.0.1:${port}/f${f}.xml`, backfill: 3 })),
  channels: [{ id: 'desk', chat: '@security_desk' }],
  rules: [{ id: 'kayani', channels: ['desk'], anyOf: ['Kayani', 'Haqqani network'] }],
}, null, 2));

http.createServer((req, res) => {
  const bump = /^\/bump\?fraction=([0-9.]+)$/.exec(req.url);
  if (bump) {
    const every = Math.round(1 / Number(bump[1]));
    for (let f = 0; f < feedCount; f += every) { versions[f]++; render(f); }
    res.end('ok'); return;
  }
  if (req.url === '/stats') { res.end(JSON.stringify({ requests, notModified, sent })); requests = 0; notModified = 0; sent = 0; return; }
  if (req.method === 'POST' && /^\/bot[^/]+\/getMe$/.test(req.url)) {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ ok: true, result: { id: 1, is_bot: true, first_name: 'bench' } }));
    return;
  }
  if (req.method === 'POST' && /^\/bot[^/]+\/sendMessage$/.test(req.url)) {
    req.resume();
    req.on('end', () => {
      sent++;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ ok: true, result: { message_id: sent, date: Math.floor(Date.now() / 1000), chat: { id: -1001, type: 'channel' }, text: 'ok' } }));
    });
    return;
  }
  const m = /^\/f(\d+)\.xml$/.exec(req.url);
  if (!m || !feeds[m[1]]) { res.writeHead(404); res.end(); return; }
  requests++;
  const etag = `"v${versions[m[1]]}"`;
  if (req.headers['if-none-match'] === etag) { notModified++; res.writeHead(304, { ETag: etag }); res.end(); return; }
  res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8', ETag: etag });
  res.end(feeds[m[1]]);
}).listen(port, '127.0.0.1', () => console.error(`bench feeds on 127.0.0.1:${port}`));
