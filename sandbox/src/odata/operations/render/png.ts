/**
 * A grayscale PNG of text lines in a 3×5 pixel font (upper case, digits, common punctuation), scaled ×2.
 * Written with node:zlib (deflate) and a CRC-32 of its own; deterministic.
 */
import { deflateSync } from 'node:zlib';

import { toLatin } from './transliterate';

/** Rows top to bottom, 3 pixels each. */
const GLYPHS: Record<string, string> = {
	'0': '111101101101111',
	'1': '010110010010111',
	'2': '111001111100111',
	'3': '111001111001111',
	'4': '101101111001001',
	'5': '111100111001111',
	'6': '111100111101111',
	'7': '111001001001001',
	'8': '111101111101111',
	'9': '111101111001111',
	A: '010101111101101',
	B: '110101110101110',
	C: '011100100100011',
	D: '110101101101110',
	E: '111100110100111',
	F: '111100110100100',
	G: '011100101101011',
	H: '101101111101101',
	I: '111010010010111',
	J: '001001001101010',
	K: '101101110101101',
	L: '100100100100111',
	M: '101111111101101',
	N: '110101101101101',
	O: '010101101101010',
	P: '110101110100100',
	Q: '010101101110011',
	R: '110101110101101',
	S: '011100010001110',
	T: '111010010010010',
	U: '101101101101111',
	V: '101101101101010',
	W: '101101111111101',
	X: '101101010101101',
	Y: '101101010010010',
	Z: '111001010100111',
	'.': '000000000000010',
	',': '000000000010100',
	':': '000010000010000',
	'-': '000000111000000',
	'/': '001001010100100',
	'(': '001010010010001',
	')': '100010010010100',
	'%': '101001010100101',
	'#': '101111101111101',
	'+': '000010111010000',
	'?': '111001010000010',
	"'": '010010000000000',
	' ': '000000000000000',
};
const SCALE = 2;
const CELL_WIDTH = 4;
const CELL_HEIGHT = 7;
const MARGIN = 4;

const CRC_TABLE = Array.from({ length: 256 }, (_, index) => {
	let crc = index;
	for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
	return crc >>> 0;
});

export function crc32(bytes: Buffer): number {
	let crc = 0xffffffff;
	for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
	return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(typed));
	return Buffer.concat([length, typed, crc]);
}

export function renderPng(lines: string[]): Buffer {
	const texts = lines.map((line) => toLatin(line).toUpperCase());
	const columns = Math.max(1, ...texts.map((text) => text.length));
	const width = (columns * CELL_WIDTH + 2 * MARGIN) * SCALE;
	const height = (texts.length * CELL_HEIGHT + 2 * MARGIN) * SCALE;
	const pixels = Buffer.alloc((width + 1) * height, 0xff);
	for (let row = 0; row < height; row++) pixels[row * (width + 1)] = 0; // filter type None
	texts.forEach((text, lineIndex) => {
		[...text].forEach((character, column) => {
			const glyph = GLYPHS[character] ?? GLYPHS['?'];
			for (let bit = 0; bit < 15; bit++) {
				if (glyph[bit] !== '1') continue;
				const x = (MARGIN + column * CELL_WIDTH + (bit % 3)) * SCALE;
				const y = (MARGIN + lineIndex * CELL_HEIGHT + Math.floor(bit / 3)) * SCALE;
				for (let dy = 0; dy < SCALE; dy++) {
					for (let dx = 0; dx < SCALE; dx++) pixels[(y + dy) * (width + 1) + 1 + x + dx] = 0;
				}
			}
		});
	});
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header[8] = 8; // bit depth
	header[9] = 0; // grayscale
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', header),
		chunk('IDAT', deflateSync(pixels)),
		chunk('IEND', Buffer.alloc(0)),
	]);
}
