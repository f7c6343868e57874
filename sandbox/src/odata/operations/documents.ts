/**
 * Document actions (Crm.Sales.SalesOrders "API Methods", inherited from General.Documents.Documents;
 * https://docs.erp.net/dev/domain-api/common-tasks/working-with-documents.html):
 * - ChangeState(newState, userStatus?): "Document states usually can only be advanced to higher states"; the
 *   STATECHANGING event (https://docs.erp.net/dev/domain-api/operations/get-repository-events.html) takes only states 10..50 (Planned..Closed);
 *   Closed: "Adjustments are not allowed, but reopening is allowed" (DocumentState members).
 * - Complete(completion): "Changes the document state to Completed".
 * - MakeVoid(reason, voidType?, resetParentState?): "Makes the document void. The operation is irreversible."
 *   VoidDocument fails with sub-documents, VoidWithSubDocuments fails with released ones,
 *   VoidWithReleasedSubDocuments voids them all (VoidType members).
 * All three are void actions: 204 No Content.
 */
import { type EntityRecord, referenceId } from '../../store/memory-store';
import { BusinessRuleError, ODataRequestError } from '../errors';
import type { ODataResponse } from '../request/types';
import { DOCUMENT_STATE_ORDINALS, type EntitySetInfo } from '../model';
import type { OperationCall } from './types';
import type { EntityArgument } from './parameters';

const RELEASED = DOCUMENT_STATE_ORDINALS.Released;
const COMPLETED = DOCUMENT_STATE_ORDINALS.Completed;
const CLOSED = DOCUMENT_STATE_ORDINALS.Closed;
/** https://docs.erp.net/dev/domain-api/operations/get-repository-events.html: "Valid state numbers are from 10 to 50." */
const LOWEST_TARGET = DOCUMENT_STATE_ORDINALS.Planned;
/** Systems.Documents.DocumentTypeUserStatuses (renamed from General.DocumentTypeUserStatuses, https://docs.erp.net/model/reference/renames.html). */
const USER_STATUS_SET = 'Systems_Documents_DocumentTypeUserStatuses';

const NO_CONTENT: ODataResponse = { status: 204, headers: { 'OData-Version': '4.0' } };

function documentName(record: EntityRecord): string {
	return `'${String(record.DocumentNo ?? record.Id)}'`;
}

/** The concrete set the record is stored in (the URL may name the abstract General_Documents_Documents). */
function storedSetOf(call: OperationCall): string {
	return call.environment.store.locate(String(call.record.Id))?.entitySet ?? call.set.name;
}

/** The derived attributes the seed keeps in step with State and Void, where the set has them. */
function stateFields(
	set: EntitySetInfo | undefined,
	record: EntityRecord,
	state: string,
	isVoid: boolean,
	now: string,
): EntityRecord {
	const ordinal = DOCUMENT_STATE_ORDINALS[state];
	const changes: EntityRecord = {
		State: state,
		IsReleased: ordinal >= RELEASED && !isVoid,
		IsValidField: ordinal >= RELEASED && !isVoid,
		FullState: isVoid ? 'Void' : state,
	};
	if (ordinal >= RELEASED && !record.ReleaseTime) changes.ReleaseTime = now;
	if (ordinal >= COMPLETED && !record.CompleteTime) changes.CompleteTime = now;
	if (ordinal < COMPLETED) changes.CompleteTime = null;
	if (ordinal < RELEASED) changes.ReleaseTime = null;
	return Object.fromEntries(Object.entries(changes).filter(([name]) => !set || set.attributeByName.has(name)));
}

function checkTransition(record: EntityRecord, target: string): void {
	const current = String(record.State);
	const from = DOCUMENT_STATE_ORDINALS[current] ?? 0;
	const to = DOCUMENT_STATE_ORDINALS[target];
	if (record.Void === true) {
		throw new BusinessRuleError(
			`The document ${documentName(record)} is void; the state of a void document cannot be changed.`,
		);
	}
	if (to < LOWEST_TARGET) {
		throw new BusinessRuleError(
			`The state of the document ${documentName(record)} cannot be changed to ${target}: the new state must be one of Planned, FirmPlanned, Released, Completed, Closed.`,
		);
	}
	if (to === from) throw new BusinessRuleError(`The document ${documentName(record)} is already in state ${current}.`);
	const reopening = from === CLOSED && to >= RELEASED;
	if (to < from && !reopening) {
		throw new BusinessRuleError(
			`The state of the document ${documentName(record)} cannot be changed from ${current} to ${target}: document states can only be advanced to higher states (a Closed document can be reopened).`,
		);
	}
}

function checkUserStatus(userStatus: unknown): void {
	if (userStatus === null || userStatus === undefined) return;
	const { entitySet } = userStatus as EntityArgument;
	if (entitySet !== USER_STATUS_SET) {
		throw new ODataRequestError(
			`The parameter 'userStatus' must reference ${USER_STATUS_SET}(<guid>); got '${entitySet}'.`,
		);
	}
}

function applyState(call: OperationCall, target: string): ODataResponse {
	checkTransition(call.record, target);
	const setName = storedSetOf(call);
	const set = call.environment.model.getSet(setName);
	const changes = stateFields(set, call.record, target, false, new Date().toISOString());
	call.environment.store.patch(setName, String(call.record.Id), changes);
	return NO_CONTENT;
}

export function changeState(call: OperationCall): ODataResponse {
	checkUserStatus(call.parameters.userStatus);
	return applyState(call, String(call.parameters.newState));
}

export function complete(call: OperationCall): ODataResponse {
	return applyState(call, 'Completed');
}

/** Documents whose `Parent` is this document, in every document set. */
function subDocuments(call: OperationCall): Array<{ entitySet: string; record: EntityRecord }> {
	const { store, model } = call.environment;
	const found: Array<{ entitySet: string; record: EntityRecord }> = [];
	for (const set of model.sets) {
		if (set.definition.abstract || !set.referenceByName.has('Parent')) continue;
		if (set.name !== 'General_Documents_Documents' && !set.ancestors.includes('General_Documents_Documents')) continue;
		for (const record of store.scan(set.name)) {
			if (referenceId(record.Parent) === String(call.record.Id) && record.Void !== true)
				found.push({ entitySet: set.name, record });
		}
	}
	return found;
}

export function makeVoid(call: OperationCall): ODataResponse {
	const { record, parameters, environment } = call;
	const reason = String(parameters.reason ?? '').trim();
	if (reason === '') throw new BusinessRuleError(`A reason is required to void the document ${documentName(record)}.`);
	if (record.Void === true) throw new BusinessRuleError(`The document ${documentName(record)} is already void.`);
	const voidType = String(parameters.voidType ?? 'VoidDocument');
	const children = subDocuments(call);
	const released = children.filter((child) => (DOCUMENT_STATE_ORDINALS[String(child.record.State)] ?? 0) >= RELEASED);
	if (voidType === 'VoidDocument' && children.length > 0) {
		throw new BusinessRuleError(
			`The document ${documentName(record)} has ${children.length} sub-document(s) and cannot be voided alone. Use the void type VoidWithSubDocuments or VoidWithReleasedSubDocuments.`,
		);
	}
	if (voidType === 'VoidWithSubDocuments' && released.length > 0) {
		throw new BusinessRuleError(
			`The document ${documentName(record)} has released sub-document(s) (${released.map((child) => documentName(child.record)).join(', ')}). Use the void type VoidWithReleasedSubDocuments to void them too.`,
		);
	}
	const now = new Date().toISOString();
	const voidOne = (entitySet: string, target: EntityRecord) => {
		const set = environment.model.getSet(entitySet);
		const changes: EntityRecord = {
			...stateFields(set, target, String(target.State), true, now),
			Void: true,
			VoidReason: reason,
			VoidTime: now,
			VoidUser: environment.currentUser ?? null,
		};
		environment.store.patch(entitySet, String(target.Id), changes);
	};
	environment.store.atomically(() => {
		for (const child of children) voidOne(child.entitySet, child.record);
		voidOne(storedSetOf(call), record);
	});
	return NO_CONTENT;
}
