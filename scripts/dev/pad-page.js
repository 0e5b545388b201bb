// Writes testdata/pages/pakistan-today-kayani-padded.html: the Pakistan Today article page with what a real news page
// carries around its story (inline scripts and styles, a mega menu, icon sprites, a sidebar of trending and related
// stories, comments, a footer), about 147 KB, the size of the site's own pages. Deterministic: same output every run.
// Usage: node scripts/dev/pad-page.js
const fs = require('fs');
const path = require('path');
const dir = path.join(__dirname, '../../tests/Syndication.Tests/testdata/pages');
const page = fs.readFileSync(path.join(dir, 'pakistan-today-kayani.html'), 'utf8');
let seed = 42;
const rand = n => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
const words = 'government minister court army budget cricket markets senate election province police karachi lahore islamabad talks rupee imf power gas flood weather'.split(' ');
const headline = () => Array.from({ length: 6 + rand(6) }, () => words[rand(words.length)]).join(' ').replace(/^./, c => c.toUpperCase());
const slug = s => s.toLowerCase().replace(/ /g, '-');

const script = Array.from({ length: 45 }, (_, i) =>
  `!function(e,t){var n${i}=e.document.createElement("script");n${i}.async=!0,n${i}.src="https://cdn.example.com/ads/slot-${i}.js?v=${rand(99999)}",t.appendChild(n${i})}(window,document.head);`).join('\n');
const style = Array.from({ length: 170 }, (_, i) =>
  `.c${i}{margin:${rand(20)}px ${rand(20)}px;padding:${rand(9)}px;color:#${(rand(0xffffff)).toString(16).padStart(6, '0')};font:${12 + rand(8)}px/1.4 Georgia,serif}`).join('\n');
const sprite = `<svg xmlns="http://www.w3.org/2000/svg" style="display:none">${Array.from({ length: 40 }, (_, i) =>
  `<symbol id="icon-${i}" viewBox="0 0 24 24"><path d="M${rand(24)} ${rand(24)}L${rand(24)} ${rand(24)}C${rand(24)} ${rand(24)} ${rand(24)} ${rand(24)} ${rand(24)} ${rand(24)}Z"/></symbol>`).join('')}</svg>`;
const menu = `<nav class="mega-menu">${Array.from({ length: 12 }, (_, s) =>
  `<div class="mega-section"><h3>${words[s]}</h3><ul>${Array.from({ length: 25 }, () => { const h = headline(); return `<li class="menu-item"><a href="/category/${words[s]}/${slug(h)}/">${h}</a></li>`; }).join('')}</ul></div>`).join('')}</nav>`;
const card = () => { const h = headline(); return `<li class="story-card"><a href="/${slug(h)}/"><img src="/wp-content/uploads/${rand(9999)}.jpg" alt="" width="150" height="100"><span class="title">${h}</span></a><time>${1 + rand(23)} hours ago</time></li>`; };
const sidebar = `<aside id="secondary" class="widget-area"><section class="widget trending"><h2 class="widget-title">Trending</h2><ul>${Array.from({ length: 30 }, card).join('')}</ul></section>` +
  `<section class="widget related"><h2 class="widget-title">Related stories</h2><ul>${Array.from({ length: 30 }, card).join('')}</ul></section></aside>`;
const comments = `<div id="comments" class="comments-area"><h2 class="comments-title">${45} thoughts</h2><ol class="comment-list">${Array.from({ length: 45 }, (_, i) =>
  `<li class="comment" id="comment-${i}"><div class="comment-author"><img src="/avatar/${i}.png" alt=""><b>reader${rand(9999)}</b></div><div class="comment-content"><p>${headline()}. ${headline()}?</p></div><div class="reply"><a href="#respond">Reply</a></div></li>`).join('')}</ol>` +
  `<form id="commentform" action="/wp-comments-post.php" method="post"><textarea name="comment"></textarea><input type="submit" value="Post Comment"></form></div>`;
const footer = `<footer class="site-footer"><div class="footer-widgets">${Array.from({ length: 4 }, () => `<ul>${Array.from({ length: 14 }, card).join('')}</ul>`).join('')}</div><p>© Pakistan Today. All rights reserved.</p></footer>`;
const ld = `<script type="application/ld+json">${JSON.stringify({ '@context': 'https://schema.org', '@graph': Array.from({ length: 30 }, (_, i) => ({ '@type': 'ListItem', position: i, name: headline(), url: `https://www.pakistantoday.com.pk/${i}` })) })}</script>`;

let out = page
  .replace('</head>', `<script>${script}</script><style>${style}</style>${ld}</head>`)
  .replace('<body class="post-template-default single single-post">', m => `${m}${sprite}`)
  .replace('</nav>', `</nav>${menu}`)
  .replace('</main>', `</main>${sidebar}`)
  .replace('</article>', `</article>${comments}`)
  .replace('</body>', `${footer}<script>${script}</script></body>`);
fs.writeFileSync(path.join(dir, 'pakistan-today-kayani-padded.html'), out);
console.log(`${out.length} characters`);
