/**
 * `$metadata` elements of the model pages' "API Methods": bound `Action` (Domain API Request POST) and
 * `Function` (GET) elements (https://docs.erp.net/dev/domain-api/operations/index.html; the official client's generator reads `IsBound="true"`
 * operations whose optional parameters carry an OptionalParameter annotation with the default value,
 * ClassGeneration.cs of https://github.com/erpnet/ErpNet.Api.Client), the enum types of their parameters, and key-only entity types for parameter
 * types outside the sandbox's model (user statuses, printouts) so that the document stays self-contained.
 */
import type { MethodDefinition } from '../../schema/types';
import { declaringSetName, enumTypeOfParameter, parameterEdmType, returnEdmType } from './method-types';
import { EDM_NAMESPACE, type EntitySetInfo, type ModelIndex } from './model-index';

function escapeXml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function rootOf(index: ModelIndex, set: EntitySetInfo): EntitySetInfo {
	let current = set;
	for (let depth = 0; depth < 16 && current.definition.baseSet; depth++) {
		const base = index.getSet(current.definition.baseSet);
		if (!base) break;
		current = base;
	}
	return current;
}

interface BoundMethod {
	binding: EntitySetInfo;
	method: MethodDefinition;
}

/** One binding per method and type: EntityObject methods on every root type, the others on their declaring type. */
function boundMethods(index: ModelIndex): BoundMethod[] {
	const bound = new Map<string, BoundMethod>();
	for (const set of index.sets) {
		for (const method of set.definition.methods ?? []) {
			const declaring = declaringSetName(method);
			const binding = (declaring && index.getSet(declaring)) || rootOf(index, set);
			const key = `${binding.name}/${method.name}`;
			if (!bound.has(key)) bound.set(key, { binding, method });
		}
	}
	return [...bound.values()];
}

function operationElement(index: ModelIndex, { binding, method }: BoundMethod): string {
	const kind = method.isAction ? 'Action' : 'Function';
	const parameters = [
		`<Parameter Name="bindingParameter" Type="${escapeXml(binding.qualifiedType)}" Nullable="false"/>`,
		...method.parameters.map((parameter) => {
			const head = `<Parameter Name="${escapeXml(parameter.name)}" Type="${escapeXml(parameterEdmType(index, parameter))}"${parameter.optional ? '' : ' Nullable="false"'}`;
			if (!parameter.optional) return `${head}/>`;
			return `${head}><Annotation Term="${EDM_NAMESPACE}.OptionalParameter" String="${escapeXml(parameter.defaultValue ?? 'null')}"/></Parameter>`;
		}),
	];
	const returnType = returnEdmType(index, binding, method);
	const returns = returnType === 'void' ? [] : [`<ReturnType Type="${escapeXml(returnType)}"/>`];
	return `<${kind} Name="${escapeXml(method.name)}" IsBound="true">${[...parameters, ...returns].join('')}</${kind}>`;
}

/** Enum types used by method parameters that no attribute already declares. */
function parameterEnumTypes(index: ModelIndex, declared: Set<string>): string[] {
	const result = new Map<string, string>();
	for (const set of index.sets) {
		for (const method of set.definition.methods ?? []) {
			for (const parameter of method.parameters) {
				if (parameter.kind !== 'enum') continue;
				const name = enumTypeOfParameter(parameter).slice(EDM_NAMESPACE.length + 1);
				if (declared.has(name) || result.has(name)) continue;
				const members = (parameter.enumValues ?? []).map(
					(member, position) => `<Member Name="${escapeXml(member.name)}" Value="${member.modelValue ?? position}"/>`,
				);
				result.set(name, `<EnumType Name="${escapeXml(name)}">${members.join('')}</EnumType>`);
			}
		}
	}
	return [...result.values()];
}

/** Key-only entity types for method parameter and return types the sandbox's model has no page for. */
function externalEntityTypes(index: ModelIndex, operations: BoundMethod[]): string[] {
	const known = new Set(index.sets.map((set) => set.qualifiedType));
	const external = new Set<string>();
	for (const { binding, method } of operations) {
		const types = [
			...method.parameters
				.filter((parameter) => parameter.kind === 'entity')
				.map((parameter) => parameterEdmType(index, parameter)),
		];
		if (method.returnSet) types.push(returnEdmType(index, binding, method).replace(/^Collection\((.*)\)$/, '$1'));
		for (const type of types) if (!known.has(type)) external.add(type);
	}
	return [...external].map(
		(type) =>
			`<EntityType Name="${escapeXml(type.slice(EDM_NAMESPACE.length + 1))}"><Key><PropertyRef Name="Id"/></Key><Property Name="Id" Type="Edm.Guid" Nullable="false"/></EntityType>`,
	);
}

/** Everything the methods add to the schema; `declaredEnums` are the enum type names already written. */
export function operationSchemaElements(index: ModelIndex, declaredEnums: Set<string>): string[] {
	const operations = boundMethods(index);
	return [
		...externalEntityTypes(index, operations),
		'<ComplexType Name="ValueTextPair"><Property Name="Value" Type="Edm.String"/><Property Name="Text" Type="Edm.String"/></ComplexType>',
		...parameterEnumTypes(index, declaredEnums),
		...operations.map((operation) => operationElement(index, operation)),
	];
}
