/**
 * Parses the "## API Methods" section of an ERP.net model page into MethodDefinitions:
 *
 *   ### ChangeState
 *   Changes the document state ...  (Inherited from [Documents](General.Documents.Documents.md))
 *   Return Type: **void**
 *   Declaring Type: **[Documents](General.Documents.Documents.md)**
 *   Domain API Request: **POST**
 *   **Parameters**
 *     * **newState**
 *       The desired new state of the document
 *       Type: General.Documents.DocumentState
 *       Allowed Values (...)
 *       | Value | Description |  (one row per enum member)
 *       Optional: True
 *       Default Value: null
 *
 * Based on ERP.net documentation (ErpNetDocs/dev, ErpNetDocs/model), licensed CC BY 4.0.
 */
import type { EnumMember, MethodDefinition, MethodParameterDefinition } from '../src/schema/types';

const LINK = /\[([^\]]*)\]\(([^)]*)\)/;

function clean(text: string): string {
	return text
		.replace(/<br\s*\/?>/g, '')
		.replace(/\s+/g, ' ')
		.trim();
}

/** `Systems.Security.Users.md` → `Systems_Security_Users`; links into data-types.md name no set. */
function setOfLink(text: string): string | undefined {
	const match = LINK.exec(text);
	if (!match || !match[2].endsWith('.md') || match[2].includes('/')) return undefined;
	return match[2].slice(0, -3).replace(/\./g, '_');
}

function boldValue(line: string, label: string): string | undefined {
	const prefix = `${label}: **`;
	if (!line.startsWith(prefix)) return undefined;
	return line.slice(prefix.length, line.lastIndexOf('**'));
}

/** `| Released | Released document. ... (Stored as 30). <br /> Model Value: 30 <br /> Domain API Value: 'Released' |` */
function enumMemberOf(row: string): EnumMember | undefined {
	const cells = row.split('|').map((cell) => cell.trim());
	if (cells.length < 4 || cells[1] === 'Value' || /^-+$/.test(cells[1])) return undefined;
	const description = cells[2];
	const apiValue = /Domain API Value: '([^']*)'/.exec(description.replace(/<br\s*\/?>/g, ''))?.[1];
	const modelValue = /Model Value: (-?\d+)/.exec(description)?.[1];
	const stored = /Stored as ([^).]+)/.exec(description)?.[1];
	const name = apiValue ?? clean(cells[1]);
	const member: EnumMember = {
		name,
		databaseValue: stored?.trim() ?? modelValue ?? name,
		description: clean(description.split('<br')[0]),
	};
	if (modelValue !== undefined) member.modelValue = Number(modelValue);
	return member;
}

function parseParameter(lines: string[]): MethodParameterDefinition {
	const name = /\*\*([^*]+)\*\*/.exec(lines[0])?.[1] ?? '';
	const parameter: MethodParameterDefinition = {
		name,
		type: 'string',
		kind: 'primitive',
		optional: false,
		description: '',
	};
	const members: EnumMember[] = [];
	for (const line of lines.slice(1)) {
		if (line.startsWith('Type: ')) {
			const typeText = line.slice('Type: '.length);
			const targetSet = setOfLink(typeText);
			parameter.type = targetSet ? (LINK.exec(typeText)?.[2] ?? '').slice(0, -3) : clean(typeText);
			if (targetSet) {
				parameter.kind = 'entity';
				parameter.targetSet = targetSet;
			}
		} else if (line.startsWith('Optional: ')) parameter.optional = line.slice('Optional: '.length).trim() === 'True';
		else if (line.startsWith('Default Value: ')) parameter.defaultValue = line.slice('Default Value: '.length).trim();
		else if (line.startsWith('|')) {
			const member = enumMemberOf(line);
			if (member) members.push(member);
		} else if (parameter.description === '' && !line.startsWith('Allowed')) parameter.description = clean(line);
	}
	if (members.length > 0) {
		parameter.kind = 'enum';
		parameter.enumValues = members;
	}
	return parameter;
}

function parseMethod(name: string, lines: string[]): MethodDefinition {
	const method: MethodDefinition = {
		name,
		description: '',
		returnType: 'void',
		returnsCollection: false,
		declaringType: 'EntityObject',
		isAction: true,
		parameters: [],
	};
	let parameterLines: string[] | undefined;
	const flush = () => {
		if (parameterLines) method.parameters.push(parseParameter(parameterLines));
		parameterLines = undefined;
	};
	let inParameters = false;
	let afterParameters = false;
	for (const raw of lines) {
		const line = raw.trim();
		if (line === '') continue;
		const returnType = boldValue(line, 'Return Type');
		const declaringType = boldValue(line, 'Declaring Type');
		const request = boldValue(line, 'Domain API Request');
		if (returnType !== undefined) {
			method.returnsCollection = returnType.startsWith('Collection Of ');
			method.returnSet = setOfLink(returnType);
			method.returnType = clean(returnType.replace(LINK, (_all, text: string) => text));
		} else if (declaringType !== undefined) {
			const link = LINK.exec(declaringType);
			method.declaringType = link ? link[2].slice(0, -3) : clean(declaringType);
		} else if (request !== undefined) method.isAction = request.trim().toUpperCase() !== 'GET';
		else if (line.startsWith('**Parameters**')) inParameters = true;
		else if (inParameters && /^\* \*\*/.test(line) && raw.startsWith('  *')) {
			flush();
			parameterLines = [line];
		} else if (inParameters && parameterLines && raw.startsWith('    ')) parameterLines.push(line);
		else if (method.description === '') method.description = clean(line.replace(/\(Inherited from [^)]*\)\)?/, ''));
		else if (inParameters) {
			flush();
			afterParameters = true;
		}
		if (afterParameters) inParameters = false;
	}
	flush();
	return method;
}

/** The methods of the page's "## API Methods" section, in page order; [] when the page has none. */
export function parseApiMethods(markdown: string): MethodDefinition[] {
	const lines = markdown.replace(/\r/g, '').split('\n');
	const start = lines.findIndex((line) => line.trim() === '## API Methods');
	if (start < 0) return [];
	const end = lines.findIndex((line, index) => index > start && line.startsWith('## '));
	const section = lines.slice(start + 1, end < 0 ? undefined : end);
	const methods: MethodDefinition[] = [];
	let name: string | undefined;
	let body: string[] = [];
	for (const line of section) {
		if (line.startsWith('### ')) {
			if (name) methods.push(parseMethod(name, body));
			name = line.slice(4).trim();
			body = [];
		} else if (name) body.push(line);
	}
	if (name) methods.push(parseMethod(name, body));
	return methods;
}
