/**
 * The printable sheet of a community's 一楼一码: one A4 page per building with the community's name,
 * the building's name, its code (to scan) and its code number (to tell sheets apart on the wall). An
 * HTML page styled for print (`@page A4`): the browser prints or saves it as PDF, with the fonts the
 * phone or PC already has — a PDF made here would have to carry a Chinese font of its own.
 */
export interface SheetBuilding {
  name: string;
  code: string;
  /** data: URL of its code image */
  image: string;
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function codeSheetHtml(place: { name: string; path: string[] }, buildings: SheetBuilding[], scanHint: string): string {
  const pages = buildings
    .map(
      (b) => `<section class="sheet">
  <div class="place">${escape(place.path.join(' · '))}</div>
  <h1>${escape(b.name)}</h1>
  <img src="${b.image}" alt="${escape(b.name)} 楼栋码">
  <p class="hint">${escape(scanHint)}</p>
  <p class="code">楼栋编码 ${escape(b.code)}</p>
</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(place.name)} 楼栋码（${buildings.length} 栋）</title>
<style>
  @page { size: A4 portrait; margin: 0; }
  * { box-sizing: border-box; }
  html, body { margin: 0; padding: 0; }
  body { font-family: "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; color: #222; }
  .sheet { width: 210mm; height: 297mm; padding: 24mm 20mm; display: flex; flex-direction: column; align-items: center; justify-content: center; text-align: center; page-break-after: always; break-after: page; }
  .sheet:last-child { page-break-after: auto; break-after: auto; }
  .place { font-size: 16pt; color: #666; letter-spacing: 0.1em; }
  h1 { font-size: 54pt; margin: 8mm 0 10mm; color: #e8552d; }
  img { width: 120mm; height: 120mm; image-rendering: pixelated; }
  .hint { font-size: 20pt; margin: 10mm 0 4mm; }
  .code { font-size: 12pt; color: #888; font-family: monospace; }
  @media screen {
    body { background: #e9eaec; padding: 8mm 0; }
    .sheet { background: #fff; margin: 0 auto 8mm; box-shadow: 0 1mm 4mm rgba(0, 0, 0, 0.15); }
  }
</style>
</head>
<body>
${pages || '<section class="sheet"><h1>这里还没有楼栋</h1></section>'}
</body>
</html>
`;
}
