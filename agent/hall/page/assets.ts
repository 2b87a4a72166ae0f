/**
 * The page's HTML and stylesheet, as strings: the appliance ships compiled JavaScript only
 * (scripts/install copies dist/), so static files live in a module the compiler carries along.
 * Read across a hall: high contrast, numbers sized by the screen width, nothing that scrolls.
 */
export const INDEX_HTML = `<!doctype html>
<html lang="id">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Antrean Pengambilan KTP-el</title>
  <link rel="stylesheet" href="/hall.css">
  <script type="module" src="/hall.js"></script>
</head>
<body>
  <header>
    <div class="office">
      <div id="office" class="office-name"></div>
      <div id="region" class="office-region"></div>
    </div>
    <div class="clock">
      <div id="time" class="time"></div>
      <div id="date" class="date"></div>
    </div>
  </header>
  <main>
    <section id="counters" class="counters" aria-live="polite">
      <div class="empty">Belum ada panggilan</div>
    </section>
    <aside class="recent">
      <h2>Panggilan terakhir</h2>
      <ol id="recent"></ol>
    </aside>
  </main>
  <footer>
    <span class="service">Pengambilan KTP-el &middot; Siapkan KTP lama dan surat panggilan Anda</span>
    <span id="link" class="link offline">Menghubungkan&hellip;</span>
  </footer>
  <div id="sound-gate" class="sound-gate" hidden>
    <button id="sound-enable" type="button">Ketuk layar untuk mengaktifkan suara panggilan</button>
  </div>
</body>
</html>
`;

export const HALL_CSS = `/* Read across a hall: high contrast, numbers sized by the screen width, nothing that scrolls. */
* { box-sizing: border-box; margin: 0; padding: 0; }
html, body { height: 100%; }
body {
  display: grid;
  grid-template-rows: auto 1fr auto;
  background: #0b1f3a;
  color: #fff;
  font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif;
  overflow: hidden;
}
header {
  display: flex; justify-content: space-between; align-items: center;
  padding: 1.2vh 2vw; background: #08162a; border-bottom: 0.6vh solid #e3a008;
}
.office-name { font-size: 3.2vw; font-weight: bold; letter-spacing: 0.05em; }
.office-region { font-size: 1.8vw; color: #c9d6ea; }
.clock { text-align: right; }
.time { font-size: 4.2vw; font-weight: bold; font-variant-numeric: tabular-nums; }
.date { font-size: 1.6vw; color: #c9d6ea; }
main { display: grid; grid-template-columns: 1fr 22vw; gap: 1.5vw; padding: 1.5vw; min-height: 0; }
.counters {
  display: grid; gap: 1.5vw; align-content: start;
  grid-template-columns: repeat(auto-fit, minmax(30vw, 1fr));
}
.empty { font-size: 3vw; color: #9fb3cf; align-self: center; text-align: center; grid-column: 1 / -1; padding-top: 15vh; }
.tile {
  background: #fff; color: #0b1f3a; border-radius: 1vw; padding: 1.2vw 1.5vw; text-align: center;
  border: 0.5vw solid transparent;
}
.tile .label { font-size: 3vw; font-weight: bold; color: #fff; background: #1a56db; border-radius: 0.6vw; padding: 0.3vw 0; }
.tile .number { font-size: 8.5vw; font-weight: bold; line-height: 1.15; white-space: nowrap; font-variant-numeric: tabular-nums; }
.tile.calling { border-color: #e3a008; animation: flash 0.8s ease-in-out 4; }
@keyframes flash { 50% { background: #fde68a; } }
.recent { background: #08162a; border-radius: 1vw; padding: 1vw 1.2vw; overflow: hidden; }
.recent h2 { font-size: 1.8vw; color: #e3a008; margin-bottom: 1vh; }
.recent ol { list-style: none; }
.recent li { display: flex; justify-content: space-between; font-size: 2.4vw; padding: 0.6vh 0; border-bottom: 1px solid #1f3a63; }
.recent li .n { font-weight: bold; font-variant-numeric: tabular-nums; }
.recent li .c { color: #c9d6ea; font-size: 1.8vw; align-self: center; }
footer { display: flex; justify-content: space-between; padding: 0.8vh 2vw; background: #08162a; font-size: 1.4vw; color: #c9d6ea; }
.link.online::before { content: "\\25CF  "; color: #31c48d; }
.link.offline::before { content: "\\25CF  "; color: #f05252; }
.link.offline { color: #fca5a5; }
.sound-gate { position: fixed; inset: 0; display: flex; align-items: flex-end; justify-content: center; padding-bottom: 8vh; pointer-events: none; }
.sound-gate[hidden] { display: none; }
.sound-gate button { pointer-events: auto; font-size: 2vw; padding: 1vw 2vw; border-radius: 1vw; border: 0; background: #e3a008; color: #0b1f3a; font-weight: bold; }
`;
