// Serves the hostile cases of the robustness benchmark on 127.0.0.1:PORT, with a stand-in Bot API on the same port:
//   /stall.xml  8 teasers whose article pages each take STALL seconds to answer
//   /quick.xml  one complete story on another feed, which must not wait for the stalling one
//   /huge.xml   ITEMS items (100,000 make about 5.5 MB), every thousandth one matching the rule
// Every sendMessage is timed; /stats reports each send's title and its time since the server started, in ms.
// Usage: node scripts/bench/hostile.js PORT STALL ITEMS CONFIG_DIR
const http = require('http');
const fs = require('fs');
const path = require('path');

const [port, stall, itemCount, dir] = [Number(process.argv[2]), Number(process.argv[3]), Number(process.argv[4]), process.argv[5]];
const base = `http://127.0.0.1:${port}`;
const started = Date.now();
const rss = items => '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">' +
  `<channel><title>Bench</title><link>${base}/</link><description>bench</description>${items.join('')}</channel></rss>`;
const date = n => new Date(Date.UTC(2026, 10, 28, 6, 0) - n * 60000).toUTCString();
const long = '<p>General Kayani met the corps commanders on Friday. ' + 'The meeting discussed the security situation in detail. '.repeat(40) + '</p>';

const stallFeed = rss([...Array(8).keys()].map(i =>
  `<item><title>Kayani teaser ${i}</title><link>${base}/page-${i}</link><guid>stall-${i}</guid><pubDate>${date(i)}</pubDate><description>Kayani teaser.</description></item>`));
const quickFeed = rss([`<item><title>Kayani quick story</title><link>${base}/quick-1</link><guid>quick-1</guid><pubDate>${date(0)}</pubDate><content:encoded><![CDATA[${long}]]></content:encoded></item>`]);
const huge = [];
for (let i = 0; i < itemCount; i++)
  huge.push(`<item><title>${i % 1000 === 0 ? 'Kayani' : 'Story'} ${i}</title><guid>h${i}</guid></item>`); // about 60 bytes an item
const hugeFeed = rss(huge);

const config = (feeds) => JSON.stringify({
  feeds, channels: [{ id: 'desk', chat: '@security_desk' }],
  rules: [{ id: 'kayani', channels: ['desk'], anyOf: ['Kayani'] }],
});
fs.writeFileSync(path.join(dir, 'stall.json'), config([
  { id: 'stall', url: `${base}/stall.xml`, backfill: 10 }, { id: 'quick', url: `${base}/quick.xml`, backfill: 10, fullText: 'never' }]));
fs.writeFileSync(path.join(dir, 'huge.json'), config([{ id: 'huge', url: `${base}/huge.xml`, backfill: 5, fullText: 'never' }]));

let sends = [];
http.createServer((req, res) => {
  if (req.url === '/stats') { res.end(JSON.stringify({ sends })); sends = []; return; }
  if (req.method === 'POST' && /^\/bot[^/]+\/(sendMessage|getMe)$/.test(req.url)) {
    let body = '';
    req.on('data', d => body += d);
    req.on('end', () => {
      if (req.url.endsWith('getMe')) { res.end(JSON.stringify({ ok: true, result: { id: 1, is_bot: true, first_name: 'bench' } })); return; }
      const text = JSON.parse(body).text || '';
      sends.push({ title: text.split('\n')[0].replace(/<[^>]+>/g, ''), ms: Date.now() - started });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ ok: true, result: { message_id: sends.length, date: Math.floor(Date.now() / 1000), chat: { id: -1001, type: 'channel' }, text: 'ok' } }));
    });
    return;
  }
  if (req.url === '/now') { res.end(String(Date.now() - started)); return; }
  const feed = { '/stall.xml': stallFeed, '/quick.xml': quickFeed, '/huge.xml': hugeFeed }[req.url];
  if (feed) { res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8' }); res.end(feed); return; }
  if (/^\/page-\d+$/.test(req.url)) {
    setTimeout(() => { res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }); res.end(`<html><body><article><h1>Kayani</h1>${long}</article></body></html>`); }, stall * 1000);
    return;
  }
  res.writeHead(404); res.end();
}).listen(port, '127.0.0.1', () => console.error(`hostile feeds on ${base}`));
