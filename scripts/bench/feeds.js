// Serves FEEDS synthetic WordPress-style feeds of ITEMS items each on 127.0.0.1:PORT, and writes a matching config.
// Every tenth item carries the Pakistan Today fixture article, which the config's rule matches. The same port answers
// getMe and sendMessage like the Bot API (POST /bot{token}/…), so sweeps can deliver without reaching Telegram.
// With BURST=1, every item is a Kayani story and each feed has its own channel and rule (FEEDS channels of ITEMS
// alerts each, all due at once), and /stats also reports how the sends were paced: per chat and overall.
// HOSTS=N spreads the feeds over N loopback addresses (127.0.0.1 to 127.0.0.N, all this machine), so they are N sites
// to the app; LATENCY_MS=M answers each feed request M ms late, as a distant server would; QUIET=1 makes the feeds' own
// items match no rule, so only items added by /bump alert. /stats then also reports the span from the first feed request
// to the last answer or send (and to the last feed answer alone), and how many feeds were fetched more than once since
// the last /stats. CHANNELS=N sends the alerts of feed f to desk f % N (one rule per desk), so delivery can spread over
// instances as channels do; by default every alert goes to one desk. With PEOPLE=1 (and BURST=1), the config lets people
// subscribe (`subscriptions: open`); the bench script stores the people and their watches. /stats then also says when
// the last channel (@ chats) and the last person (numeric chats) got their message, from the first send.
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
// Each alerting item is its own story: a lead of 40 words drawn from the fixture's vocabulary by the item's id, so the
// app's one-alert-per-story check (title and lead shingles, headline words) sees 1,000 stories, not one story 1,000 times.
const vocabulary = [...new Set(fixture.join(' ').toLowerCase().match(/[a-z]{4,}/g))];
function lead(id) {
  let h = 2166136261;
  for (const c of id) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  const words = [];
  for (let w = 0; w < 40; w++) { h = Math.imul(h ^ (h >>> 13), 1540483477) >>> 0; words.push(vocabulary[h % vocabulary.length]); }
  return `<p>Story ${id}: ${words.join(' ')}.</p>`;
}
// A headline of its own too (the check also takes alike headlines within 12 hours for one story): the lead's words backwards.
function headline(id) {
  return lead(id).replace(/<[^>]+>|Story [^:]*: |\./g, '').split(' ').reverse().slice(0, 8).join(' ');
}
const start = Date.UTC(2026, 10, 28, 6, 0);
const burst = process.env.BURST === '1';
const quiet = process.env.QUIET === '1';
const hosts = Number(process.env.HOSTS || 1);
const latency = Number(process.env.LATENCY_MS || 0);
const hostOf = f => `127.0.0.${1 + (f % hosts)}`;
const desks = Number(process.env.CHANNELS || 0);

// Each feed has a version; /bump?fraction=0.1 adds one new item to that share of the feeds.
const versions = new Array(feedCount).fill(0);
const feeds = [];
function render(f) {
  const items = [];
  for (let n = 0; n < versions[f]; n++) {
    items.push(`<item><title>Kayani update: ${headline(`${f}-new-${n}`)} (${f}-${n})</title><link>http://127.0.0.1:${port}/f${f}/new-${n}</link>` +
      `<guid isPermaLink="false">f${f}-new-${n}</guid><pubDate>${new Date(start + (n + 1) * 600000).toUTCString()}</pubDate>` +
      `<content:encoded><![CDATA[${lead(`${f}-new-${n}`)}${article}]]></content:encoded></item>`);
  }
  for (let i = 0; i < itemCount; i++) {
    const kayani = burst || !quiet && i % 10 === 0;
    items.push(`<item><title>${kayani ? `Kayani: ${headline(`${f}-${i}`)} (${f}-${i})` : `Markets story ${f}-${i}`}</title>` +
      `<link>http://127.0.0.1:${port}/f${f}/${i}</link><guid isPermaLink="false">f${f}-${i}</guid>` +
      `<pubDate>${new Date(start - i * 600000).toUTCString()}</pubDate>` +
      `<description><![CDATA[<p>Teaser ${i}</p>]]></description>` +
      `<content:encoded><![CDATA[${kayani ? lead(`${f}-${i}`) + article : filler}]]></content:encoded></item>`);
  }
  feeds[f] = '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">' +
    `<channel><title>Bench ${f}</title><link>http://127.0.0.1:${port}/</link><description>bench</description>${items.join('')}</channel></rss>`;
}
for (let f = 0; f < feedCount; f++) render(f);
let requests = 0, notModified = 0, sent = 0, first = 0, last = 0, lastFeed = 0;
const fetched = new Map();

fs.writeFileSync(configOut, JSON.stringify(burst ? {
  ...(process.env.PEOPLE === '1' ? { subscriptions: 'open' } : {}),
  feeds: feeds.map((_, f) => ({ id: `bench-${f}`, url: `http://127.0.0.1:${port}/f${f}.xml`, backfill: itemCount, fullText: 'never' })),
  channels: feeds.map((_, f) => ({ id: `ch-${f}`, chat: `@bench_${f}` })),
  rules: feeds.map((_, f) => ({ id: `r-${f}`, feeds: [`bench-${f}`], channels: [`ch-${f}`], anyOf: ['Kayani'] })),
} : desks > 0 ? {
  feeds: feeds.map((_, f) => ({ id: `bench-${f}`, url: `http://${hostOf(f)}:${port}/f${f}.xml`, backfill: 3 })),
  channels: Array.from({ length: desks }, (_, d) => ({ id: `desk-${d}`, chat: `@desk_${d}` })),
  rules: Array.from({ length: desks }, (_, d) => ({
    id: `kayani-${d}`, feeds: feeds.map((_, f) => f).filter(f => f % desks === d).map(f => `bench-${f}`), channels: [`desk-${d}`], anyOf: ['Kayani'],
  })),
} : {
  feeds: feeds.map((_, f) => ({ id: `bench-${f}`, url: `http://${hostOf(f)}:${port}/f${f}.xml`, backfill: 3 })),
  channels: [{ id: 'desk', chat: '@security_desk' }],
  rules: [{ id: 'kayani', channels: ['desk'], anyOf: ['Kayani', 'Haqqani network'] }],
}, null, 2));

// Every send's time, by chat: how the bot paced itself against Telegram's limits (1 a second and 20 a minute per
// chat, 30 a second overall).
const sends = [];
function pacing() {
  if (sends.length === 0) return {};
  const times = sends.map(s => s.at).sort((a, b) => a - b);
  const byChat = {};
  for (const s of sends) (byChat[s.chat] ||= []).push(s.at);
  let minGapMs = Infinity, maxPerMinute = 0, maxPerSecond = 0;
  for (const list of Object.values(byChat)) {
    list.sort((a, b) => a - b);
    for (let i = 1; i < list.length; i++) minGapMs = Math.min(minGapMs, list[i] - list[i - 1]);
    for (let i = 0, j = 0; i < list.length; i++) { while (list[i] - list[j] >= 60000) j++; maxPerMinute = Math.max(maxPerMinute, i - j + 1); }
  }
  for (let i = 0, j = 0; i < times.length; i++) { while (times[i] - times[j] >= 1000) j++; maxPerSecond = Math.max(maxPerSecond, i - j + 1); }
  // Sends in each 5-second window from the first, and when each chat's first and last message arrived: where a burst
  // falls short of the overall limit shows as thin windows, at the start (chats not yet reached) or the end (a few chats
  // with many alerts left, held to 1 a second each).
  const perWindow = [];
  for (const t of times) perWindow[Math.floor((t - times[0]) / 5000)] = (perWindow[Math.floor((t - times[0]) / 5000)] || 0) + 1;
  const starts = Object.values(byChat).map(l => (l[0] - times[0]) / 1000).sort((a, b) => a - b);
  const ends = Object.values(byChat).map(l => (l[l.length - 1] - times[0]) / 1000).sort((a, b) => a - b);
  const doneBy = list => list.length === 0 ? null : (Math.max(...list.map(s => s.at)) - times[0]) / 1000;
  const classes = { channelsDoneSeconds: doneBy(sends.filter(s => s.chat.startsWith('@'))), peopleDoneSeconds: doneBy(sends.filter(s => !s.chat.startsWith('@'))) };
  return { ...classes, spanSeconds: (times[times.length - 1] - times[0]) / 1000, perFiveSeconds: Array.from(perWindow, n => n || 0), lastChatStartSeconds: starts[starts.length - 1], firstChatEndSeconds: ends[0], chats: Object.keys(byChat).length, minGapPerChatMs: minGapMs, maxPerChatPerMinute: maxPerMinute, maxOverallPerSecond: maxPerSecond };
}

const handler = (req, res) => {
  const bump = /^\/bump\?fraction=([0-9.]+)$/.exec(req.url);
  if (bump) {
    // Every site gets its share: the feeds of a site are f = site + hosts × k, and every n-th k is bumped.
    const every = Math.round(1 / Number(bump[1]));
    for (let f = 0; f < feedCount; f++) if (Math.floor(f / Math.max(1, hosts)) % every === 0) { versions[f]++; render(f); }
    res.end('ok'); return;
  }
  if (req.url === '/peek') { res.end(`${requests} ${sent}`); return; }
  if (req.url === '/stats') {
    const twice = [...fetched.values()].filter(n => n > 1).length;
    res.end(JSON.stringify({ requests, notModified, sent, fetchedTwice: twice, cycleSeconds: first ? (last - first) / 1000 : 0, fetchSeconds: first ? (lastFeed - first) / 1000 : 0, ...pacing() }));
    requests = 0; notModified = 0; sent = 0; sends.length = 0; first = 0; last = 0; lastFeed = 0; fetched.clear(); return;
  }
  if (req.method === 'POST' && /^\/bot[^/]+\/getMe$/.test(req.url)) {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ ok: true, result: { id: 1, is_bot: true, first_name: 'bench' } }));
    return;
  }
  if (req.method === 'POST' && /^\/bot[^/]+\/sendMessage$/.test(req.url)) {
    const arrived = Date.now(); // when the request reached the server, as Telegram would count it
    const chunks = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      sent++;
      let chat = '?';
      try { chat = String(JSON.parse(Buffer.concat(chunks).toString()).chat_id); } catch { /* not JSON: one bucket */ }
      sends.push({ chat, at: arrived });
      last = Math.max(last, Date.now());
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ ok: true, result: { message_id: sent, date: Math.floor(Date.now() / 1000), chat: { id: -1001, type: 'channel' }, text: 'ok' } }));
    });
    return;
  }
  const m = /^\/f(\d+)\.xml$/.exec(req.url);
  if (!m || !feeds[m[1]]) { res.writeHead(404); res.end(); return; }
  requests++;
  first ||= Date.now();
  fetched.set(m[1], (fetched.get(m[1]) || 0) + 1);
  const answer = () => {
    last = Math.max(last, Date.now());
    lastFeed = Math.max(lastFeed, Date.now());
    const etag = `"v${versions[m[1]]}"`;
    if (req.headers['if-none-match'] === etag) { notModified++; res.writeHead(304, { ETag: etag }); res.end(); return; }
    res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8', ETag: etag });
    res.end(feeds[m[1]]);
  };
  if (latency > 0) setTimeout(answer, latency); else answer();
};
// One listener per loopback address the feeds use (the stand-in Bot API answers on 127.0.0.1).
const servers = [];
for (let h = 1; h <= Math.max(1, hosts); h++) {
  const s = http.createServer(handler);
  s.listen(port, `127.0.0.${h}`);
  servers.push(s);
}
console.error(`bench feeds on 127.0.0.1-${hosts}:${port}`);
