/**
 * CreateNotification(user, notificationClass, subject, priority?) on any entity
 * (https://docs.erp.net/dev/domain-api/common-tasks/create-notification.html; "API Methods" of every model page: declared on EntityObject).
 * "A notification will be created. Addressed to the specified user; originating from the specified
 * [entity]." The sandbox keeps them in a list (Systems.Core.Notifications has no model page here) that
 * tests read with `sandbox.control.notifications()`.
 */
import { BusinessRuleError } from '../errors';
import type { ODataResponse } from '../request/types';
import type { EntityArgument } from './parameters';
import type { StoredNotification } from './stored-notification';
import type { OperationCall } from './types';

export type { StoredNotification } from './stored-notification';

export function createNotification(call: OperationCall): ODataResponse {
	const { parameters, environment } = call;
	const user = parameters.user as EntityArgument;
	const located = environment.store.locate(user.id);
	if (!located || located.entitySet !== 'Systems_Security_Users') {
		throw new BusinessRuleError(`The user 'Systems_Security_Users(${user.id})' of the notification does not exist.`);
	}
	const notificationClass = String(parameters.notificationClass).trim();
	if (notificationClass === '')
		throw new BusinessRuleError('The notification class is required, e.g. NT_SOC_NEW_POST.');
	const subject = String(parameters.subject);
	if (subject.trim() === '') throw new BusinessRuleError('The notification subject is required.');
	const list = environment.notifications;
	const stored = environment.store.locate(String(call.record.Id));
	const notification: StoredNotification = {
		id: `${Date.now().toString(16)}-${(list?.length ?? 0) + 1}`,
		user: `Systems_Security_Users(${user.id})`,
		notificationClass,
		subject,
		priority: String(parameters.priority ?? 'Normal'),
		dataObject: `${stored?.entitySet ?? call.set.name}(${String(call.record.Id)})`,
		creationTime: new Date().toISOString(),
		createdBy: environment.currentUser,
	};
	list?.push(notification);
	return { status: 204, headers: { 'OData-Version': '4.0' } };
}
