import { AlignmentType, BorderStyle, Document, Packer, Paragraph, Table, TableCell, TableLayoutType, TableRow, TextRun, WidthType } from 'docx';
import { PARTY_ROLE_LABELS, type GridPathEntry } from '@linli/shared';
import type { Dispute, DisputePartyRow, MediatorRow } from './dispute.entities';

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** Song for the text, Hei for the title: what a mediation committee's forms are set in. */
const SONG = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '宋体' };
const HEI = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '黑体' };
/** Half-points: 四号 14 pt for the text, 二号 22 pt for the title. */
const TEXT_SIZE = 28;
const TITLE_SIZE = 44;

export interface AgreementSource {
  dispute: Dispute;
  parties: DisputePartyRow[];
  mediator: Pick<MediatorRow, 'name' | 'studio'> | null;
  /** The case's node from the top (district … micro-grid): names the committee. */
  place: GridPathEntry[];
}

/**
 * 人民调解协议书 (人民调解法 art. 28–29) as a Word document: the parties, the facts and matters in
 * dispute, what was agreed, how and by when it is performed, the effect and the judicial-confirmation
 * notice, signature lines for every party and the mediator, and the committee's seal. Written with the
 * `docx` library (real WordprocessingML, not string-built markup). No phone numbers: every party takes
 * a copy home, and a party never sees the other side's phone.
 */
export function agreementDocx(source: AgreementSource): Promise<Buffer> {
  const { dispute, parties, mediator } = source;
  const committee = committeeName(source.place);
  const copies = parties.length + 1;
  const children = [
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 200 }, children: [new TextRun({ text: '人民调解协议书', bold: true, size: TITLE_SIZE, font: HEI })] }),
    new Paragraph({ alignment: AlignmentType.RIGHT, spacing: { after: 240 }, children: [run(`编号：${dispute.number}`)] }),
    ...parties.map((p) => line(`${PARTY_ROLE_LABELS[p.role]}：`, p.name)),
    heading('纠纷主要事实、争议事项'),
    ...paragraphs(dispute.agreementFacts ?? dispute.description),
    heading('经调解，各方当事人自愿达成如下协议'),
    ...numbered(dispute.agreementTerms ?? ''),
    heading('履行方式、时限'),
    ...paragraphs(dispute.agreementPerformance ?? ''),
    line('履行期限：', `${chineseDate(dispute.performanceDeadline!)}前履行完毕。`),
    heading('其他事项'),
    ...paragraphs(
      [
        `本协议自各方当事人签名（盖章或按指印）、人民调解员签名并加盖人民调解委员会印章之日起生效。经人民调解委员会调解达成的调解协议，具有法律约束力，当事人应当按照约定履行。`,
        `各方当事人认为有必要的，可以自本协议生效之日起三十日内共同向人民法院申请司法确认。`,
        `本协议一式${numberWord(copies)}份，当事人各执一份，${committee}留存一份。`,
      ].join('\n'),
    ),
    new Paragraph({ spacing: { before: 360 }, children: [run('当事人签名（盖章或按指印），人民调解员、记录人签名：', true)] }),
    signatures(parties, mediator),
    new Paragraph({ alignment: AlignmentType.RIGHT, spacing: { before: 480 }, children: [run(`${committee}（印章）`)] }),
    new Paragraph({ alignment: AlignmentType.RIGHT, children: [run(chineseDate(chinaDayOf(dispute.agreedAt!)))] }),
  ];
  const document = new Document({
    creator: 'linli 邻里',
    title: `人民调解协议书 ${dispute.number}`,
    styles: { default: { document: { run: { font: SONG, size: TEXT_SIZE } } } },
    sections: [{ properties: { page: { margin: { top: 1440, bottom: 1440, left: 1588, right: 1474 } } }, children }],
  });
  return Packer.toBuffer(document);
}

/** 桂花社区人民调解委员会: the committee of the case's community, or of the nearest node above it. */
export function committeeName(place: GridPathEntry[]): string {
  const home = [...place].reverse().find((p) => p.level === 'community' || p.level === 'street') ?? place[0];
  return `${home?.name ?? ''}人民调解委员会`;
}

/** `YYYY-MM-DD` → 2026年12月15日 */
export function chineseDate(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

function chinaDayOf(at: Date): string {
  return new Date(new Date(at).getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

const NUMBER_WORDS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
function numberWord(n: number): string {
  if (n <= 10) return NUMBER_WORDS[n];
  if (n < 20) return `十${NUMBER_WORDS[n - 10]}`;
  return String(n);
}

function run(text: string, bold = false): TextRun {
  return new TextRun({ text, bold });
}

function heading(text: string): Paragraph {
  return new Paragraph({ spacing: { before: 240, after: 120 }, children: [run(`${text}：`, true)] });
}

function line(label: string, value: string): Paragraph {
  return new Paragraph({ spacing: { after: 80 }, children: [run(label, true), run(value)] });
}

/** One indented paragraph per line of the text. */
function paragraphs(text: string): Paragraph[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => new Paragraph({ indent: { firstLine: 560 }, spacing: { after: 80, line: 400 }, children: [run(l)] }));
}

/** The terms, numbered 一、二、… unless the mediator numbered them already. */
function numbered(text: string): Paragraph[] {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const alreadyNumbered = lines.every((l) => /^([一二三四五六七八九十]+[、.．]|\d+[、.．)])/.test(l));
  return paragraphs(alreadyNumbered || lines.length === 1 ? lines.join('\n') : lines.map((l, i) => `${numberWord(i + 1)}、${l}`).join('\n'));
}

/** A borderless table of signature lines: each party, then the mediator and the recorder. */
function signatures(parties: DisputePartyRow[], mediator: AgreementSource['mediator']): Table {
  const none = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
  const borders = { top: none, bottom: none, left: none, right: none, insideHorizontal: none, insideVertical: none };
  // Twips of the 15.9 cm text width: who, the name and the line to sign on, the date.
  const widths = [1900, 4900, 2200];
  const cell = (text: string, column: number) =>
    new TableCell({ borders, width: { size: widths[column], type: WidthType.DXA }, children: [new Paragraph({ spacing: { before: 240, after: 240 }, children: [run(text)] })] });
  const row = (who: string, name: string) => new TableRow({ cantSplit: true, children: [cell(who, 0), cell(`${name}  ____________`, 1), cell('日期：________', 2)] });
  const rows = [...parties.map((p) => row(`${PARTY_ROLE_LABELS[p.role]}：`, p.name)), row('人民调解员：', mediator?.name ?? ''), row('记录人：', '')];
  return new Table({ width: { size: widths.reduce((a, b) => a + b, 0), type: WidthType.DXA }, columnWidths: widths, layout: TableLayoutType.FIXED, borders, rows });
}
