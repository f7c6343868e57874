/** One call of a bound operation, as each operation's handler receives it. */
import type { MethodDefinition } from '../../schema/types';
import type { EntityRecord } from '../../store/memory-store';
import type { EntitySetInfo } from '../model';
import type { ODataRequest, ODataResponse, RequestEnvironment } from '../request/types';
import type { ParameterValues } from './parameters';

export interface OperationCall {
	request: ODataRequest;
	set: EntitySetInfo;
	record: EntityRecord;
	method: MethodDefinition;
	parameters: ParameterValues;
	environment: RequestEnvironment;
}

export type OperationHandler = (call: OperationCall) => ODataResponse;
