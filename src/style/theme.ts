/**
 * Pledge's theme over Pico CSS: the variables Pico reads (type, colour, spacing), the console's sidebar, and the
 * few components Pico does not have (badges, tiles, charts, the age bars). Served after Pico in one stylesheet.
 */
export const THEME_CSS = `
:root{--pico-font-size:100%;--pico-line-height:1.5;--pico-spacing:1rem;--pico-typography-spacing-vertical:1rem;
--pico-form-element-spacing-vertical:.5rem;--pico-form-element-spacing-horizontal:.75rem}
[data-theme=light],:root:not([data-theme=dark]){--pico-primary:#0b57d0;--pico-primary-background:#0b57d0;
--pico-primary-border:#0b57d0;--pico-primary-hover:#0842a0;
--pico-primary-hover-background:#0842a0;--pico-primary-underline:rgba(11,87,208,.5);--pico-primary-focus:rgba(11,87,
208,.35);
--pico-muted-color:#5b5b66;--pico-border-radius:.375rem;
--fg:#1d1d1f;--muted:#5b5b66;--line:#d9d9e0;--soft:#f5f5f8;--accent:#0b57d0;--danger:#b3261e;--ok:#176b2c;
--warn:#8a5300}
body{font-variant-numeric:tabular-nums}
h1{font-size:1.75rem}h2{font-size:1.35rem;margin-top:2rem}h3{font-size:1.1rem;margin-top:1.5rem}
h1,h2,h3{--pico-font-weight:650}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:10}
summary{min-height:24px}.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.muted,.meta,.hint,.field small{color:var(--muted)}.hint,.field small{display:block;font-size:.875rem}
.lead{font-size:1.08rem}.block{display:block}.empty{color:var(--muted);font-style:italic}
/* Words never break inside themselves; a table too wide scrolls in its own box. */
body{overflow-wrap:break-word;word-break:normal}
table{font-size:.9375rem}th{font-weight:600;white-space:nowrap}td,th{vertical-align:top;text-align:left}
.table{position:relative;overflow-x:auto;max-width:100%;margin-bottom:var(--pico-spacing)}.table table{margin-bottom:0}
.nowrap,td time{white-space:nowrap}
@media (max-width:48rem){main :not(.table)>table{display:block;position:relative;overflow-x:auto;max-width:100%}}
p.caption{color:var(--muted);margin-bottom:.4rem}
caption{caption-side:top;text-align:left;color:var(--muted);padding-bottom:.4rem}
/* Public pages */
header.site{display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;align-items:baseline;border-bottom:1px solid var(--line);
padding-block:.9rem;margin-bottom:1rem}
header.site a{text-decoration:none}header.site nav a{margin-right:1rem;white-space:nowrap}
header.site nav{display:flex;flex-wrap:wrap;gap:.25rem 0}
body>main,body>footer{max-width:62rem}
main nav ol{display:block;columns:2;column-gap:2.5rem;padding-left:1.25rem}main nav li{display:list-item;padding:0}
@media (max-width:40rem){main nav ol{columns:1}}
dl{display:grid;grid-template-columns:minmax(8rem,max-content) 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0}
@media (max-width:40rem){dl{grid-template-columns:1fr}dd{margin-bottom:.5rem}}
footer{margin-top:3rem;color:var(--muted);font-size:.9rem}
/* Forms */
fieldset{margin:1rem 0}legend{font-weight:600}
form.inline{display:inline}form.inline button{margin:0 .25rem .25rem 0}
.actions{display:flex;flex-wrap:wrap;gap:.5rem .75rem;align-items:end;margin:.75rem 0}
.actions>label{margin:0}.actions input,.actions select,.actions button,.actions [role=button]{margin-bottom:0}
.field{margin:.75rem 0}
button,[role=button],input[type=submit],form button[type=submit]{width:auto;white-space:nowrap}
td button,td [role=button]{--pico-form-element-spacing-vertical:.3rem;--pico-form-element-spacing-horizontal:.65rem;
font-size:.875rem}
:is(button,[type=submit],[type=button],[role=button]).secondary:is(:hover,:active,:focus){
--pico-background-color:#eef3fd;--pico-color:var(--accent);--pico-border-color:var(--accent)}
:is(button,[type=submit],[type=button],[role=button]).secondary,
.button.secondary{--pico-background-color:#fff;--pico-color:var(--accent);
--pico-border-color:var(--accent)}
button.danger,.button.danger,[role=button].danger{--pico-background-color:#fff;--pico-color:var(--danger);
--pico-border-color:var(--danger)}
button.danger:hover,.button.danger:hover{--pico-background-color:#fdeeee;--pico-color:#8c1d18;
--pico-border-color:#8c1d18}
button.danger.confirm{--pico-background-color:var(--danger);--pico-color:#fff}
button.danger.confirm:hover{--pico-background-color:#8c1d18;--pico-color:#fff}
button.link{background:none;border:none;color:var(--accent);padding:0;font-weight:500;text-decoration:underline}
a.button{display:inline-block;text-decoration:none;padding:.5rem 1rem;border:1px solid var(--accent);
border-radius:var(--pico-border-radius);font-weight:600;background:var(--accent);color:#fff;white-space:nowrap;
line-height:1.5}
a.button:hover{background:#0842a0}a.button.secondary{background:#fff;color:var(--accent)}
a.button.secondary:hover{background:#eef3fd}a.button.danger{background:#fff;color:var(--danger);
border-color:var(--danger)}
a.button.danger:hover{background:#fdeeee}td a.button{padding:.3rem .65rem;font-size:.875rem}
.error{color:var(--danger)}
.errors{border:2px solid var(--danger);border-radius:6px;padding:.5rem 1rem}
.flash{border-left:4px solid var(--ok);background:#eef7f0;padding:.6rem .9rem;border-radius:4px}
.flash.error{border-color:var(--danger);background:#fdeeee}
.choice,label.choice{display:flex;width:100%;max-width:46rem;gap:.75rem;align-items:flex-start;
border:1px solid var(--line);border-radius:10px;
padding:.8rem 1rem;margin:.5rem 0;cursor:pointer;font-weight:400}
.choice:has(input:checked){border-color:var(--accent);background:#f2f6fe}.choice input{margin-top:.3rem;flex:none}
.choice small{display:block;color:var(--muted)}
/* The privacy center shows the box of the identity chosen above it; without :has() every box shows. */
@supports selector(:has(*)){form:has(.identity-types) .identity-field{display:none}}
.identity-types label{display:inline-flex;gap:.35rem;margin-right:1.25rem}
form.rights fieldset{border:0;padding:0}form.rights legend{font-size:1.2rem;margin-bottom:.25rem}
.check{margin:.4rem 0}
/* Badges and states */
.badge{display:inline-block;border-radius:999px;padding:0 .55rem;font-size:.8125rem;font-weight:600;
background:var(--soft);border:1px solid var(--line);white-space:nowrap;color:var(--fg)}
.badge.ok,.badge.on_time,.badge.done{background:#eef7f0;border-color:#9fcfae;color:#14532d}
.badge.warn,.badge.due_soon,.badge.hold{background:#fff3cd;border-color:#e0b84a;color:#5c3500}
.badge.danger,.badge.overdue,.badge.failed{background:#fdeeee;border-color:#e8a39e;color:#8c1d18}
.overdue,.state-overdue,.late,.open{color:#b00020;font-weight:600}.due_soon,.state-due_soon{color:#8a5300;
font-weight:600}
.on_time,.state-on_time,.state-kept,.kept{color:#176b2c}.gone,.dismissed{color:var(--muted)}
.flag{background:#fff3cd;border:1px solid #a15c00;border-radius:3px;padding:0 .3rem;color:#5c3500}
/* Console: a sidebar of sections; on a phone, a menu */
body.console{max-width:none;padding:0}
.console-shell{display:grid;grid-template-columns:15rem minmax(0,1fr);min-height:100vh}
.console-shell>aside{background:#f4f6fb;border-right:1px solid var(--line);padding:1rem .75rem}
.console-shell>aside strong.org{display:block;padding:.25rem .75rem 1rem}
.console-shell>main{padding:1.25rem 2rem 3rem;max-width:78rem}
nav.console{display:block}nav.console ul{display:block;padding:0;margin:0}
nav.console li{display:block;list-style:none;padding:0;margin:0}
nav.console a{display:block;padding:.4rem .75rem;border-radius:.375rem;text-decoration:none;color:var(--fg)}
nav.console a:hover,nav.console a[aria-current=page]{background:#e3eafc;color:var(--accent)}
nav.console a[aria-current=page]{font-weight:600}
nav.console .who{margin-top:1rem;border-top:1px solid var(--line);padding-top:.75rem}
nav.console .who a{display:inline;padding:.4rem .75rem}
nav.console form button{margin:.25rem .75rem;width:auto}
details.menu{margin:0;border:0;padding:0}details.menu>summary{display:none}
@media (min-width:64rem){details.menu::details-content{content-visibility:visible;display:contents}}
@media (max-width:63.99rem){.console-shell{grid-template-columns:minmax(0,1fr);min-height:0}
.console-shell>aside{border-right:0;border-bottom:1px solid var(--line);padding:.5rem 1rem;display:flex;
flex-wrap:wrap;align-items:center;justify-content:space-between}
.console-shell>aside strong.org{padding:0}
details.menu>summary{display:inline-block;list-style:none;font-weight:600;padding:.35rem .75rem;
border:1px solid var(--line);border-radius:.375rem;background:#fff;cursor:pointer}
details.menu>summary::after{display:none}
details.menu[open]{flex-basis:100%}details.menu[open]>summary{margin-bottom:.5rem}
.console-shell>main{padding:1rem}}
/* Tiles and charts */
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(9.5rem,1fr));gap:.75rem;list-style:none;padding:0}
.tiles li{border:1px solid var(--line);border-radius:8px;padding:.7rem .9rem;list-style:none;background:#fff}
.tiles strong{font-size:1.6rem;display:block}
.tiles a{text-decoration:none;color:inherit;display:block}.tiles a.overdue strong{color:#b3261e}
.tiles a.due_soon strong{color:#8a5300}
svg.chart{max-width:100%;height:auto}.chartbox{overflow-x:auto}
@media (max-width:48rem){.chartbox svg.chart{max-width:none;width:720px}}
.chart .overdue{fill:#b3261e}.chart .due_soon{fill:#c77700}.chart .on_time{fill:#2f7d46}
.chart .rate{fill:#0b57d0}.chart .rest{fill:#e4e4ea}
.chart text{font:12px system-ui,sans-serif;fill:#3b3b45}.chart .axis{stroke:#b8b8c4}
.bar{height:.9rem;border-radius:2px;display:inline-block;vertical-align:middle}.bar.overdue{background:#b00020}
.bar.due_soon{background:#e08a00}.bar.on_time{background:#3a9a55}
.age{width:14rem;height:1.1rem;background:#eee;position:relative;border-radius:2px}.age .fill{position:absolute;
left:0;top:0;bottom:0;border-radius:2px}
.age .limit{position:absolute;top:-.2rem;bottom:-.2rem;width:2px;background:#222}
.mapwrap{overflow-x:auto;border:1px solid var(--line);border-radius:8px;padding:.5rem;background:#fff}
.legend span{margin-right:1rem}
ol.src{font:13px/1.45 ui-monospace,monospace;padding-left:4rem;overflow-x:auto}ol.src li{white-space:pre}
ol.src li:target{background:#fff3cd}ol.src li::marker{color:#9a9aa6}
pre.draft{white-space:pre-wrap;background:#f6f6f6;padding:.75rem;border:1px solid #ddd}
pre.fragment{background:#f6f6f6;padding:.5rem;max-width:48rem;overflow:auto;font-size:.85rem}
.preview{border:2px solid var(--warn);border-radius:8px;padding:1rem 1.25rem;background:#fffaf0;margin:1rem 0}
.preview.danger{border-color:var(--danger);background:#fff7f6}
@media print{nav,form,.noprint,aside{display:none}.console-shell{display:block}}
`;
