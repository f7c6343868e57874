/**
 * `GET GetRepositoryEvents(repositoryName='Crm.Sales.SalesOrders')` (https://docs.erp.net/dev/domain-api/operations/get-repository-events.html):
 * `{ repositoryName, events }`, exactly the documented shape (no `@odata.context` in the example).
 */
import { NotFoundError, ODataRequestError } from '../odata/errors';
import type { ODataRequest } from '../odata/request/types';
import type { ModelIndex } from '../odata/model';
import { functionArguments, splitOperationSegment } from '../odata/operations/parameters';
import { repositoryEvents, setOfRepository, type RepositoryEventsResult } from './repository-events';

export function getRepositoryEvents(request: ODataRequest, model: ModelIndex): RepositoryEventsResult {
	const { argumentText } = splitOperationSegment(request.resourcePath);
	const { repositoryName, ...others } = functionArguments(argumentText, request.query);
	const unknown = Object.keys(others);
	if (unknown.length > 0)
		throw new ODataRequestError(
			`GetRepositoryEvents has no parameter '${unknown[0]}'; its only parameter is repositoryName.`,
		);
	if (typeof repositoryName !== 'string' || repositoryName === '') {
		throw new ODataRequestError(
			"GetRepositoryEvents needs the parameter repositoryName, e.g. GetRepositoryEvents(repositoryName='Crm.Sales.SalesOrders').",
		);
	}
	const set = setOfRepository(model, repositoryName);
	if (!set) throw new NotFoundError(`The repository '${repositoryName}' was not found.`);
	return { repositoryName, events: repositoryEvents(set, model) };
}
