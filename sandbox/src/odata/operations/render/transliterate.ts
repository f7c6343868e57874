/**
 * Latin-1 text for the PDF and PNG renderings, whose fonts have no Cyrillic: Bulgarian letters are
 * transliterated (the Streamlined System the Bulgarian transliteration law uses; https://docs.erp.net/dev/domain-api/common-tasks/change-language.html notes
 * that ERP.net transliterates missing translations), anything else outside Latin-1 becomes `?`.
 */
const CYRILLIC: Record<string, string> = {
	а: 'a',
	б: 'b',
	в: 'v',
	г: 'g',
	д: 'd',
	е: 'e',
	ж: 'zh',
	з: 'z',
	и: 'i',
	й: 'y',
	к: 'k',
	л: 'l',
	м: 'm',
	н: 'n',
	о: 'o',
	п: 'p',
	р: 'r',
	с: 's',
	т: 't',
	у: 'u',
	ф: 'f',
	х: 'h',
	ц: 'ts',
	ч: 'ch',
	ш: 'sh',
	щ: 'sht',
	ъ: 'a',
	ь: 'y',
	ю: 'yu',
	я: 'ya',
};

export function toLatin(text: string): string {
	let result = '';
	for (const character of text) {
		const lower = character.toLowerCase();
		const latin = CYRILLIC[lower];
		if (latin !== undefined) {
			result += character === lower ? latin : latin.charAt(0).toUpperCase() + latin.slice(1);
		} else result += character.charCodeAt(0) <= 0xff ? character : '?';
	}
	return result;
}
