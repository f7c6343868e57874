/** A notification CreateNotification made, as `sandbox.control.notifications()` lists it. */
export interface StoredNotification {
	id: string;
	/** `Systems_Security_Users(<guid>)`. */
	user: string;
	notificationClass: string;
	subject: string;
	priority: string;
	/** The entity the notification originates from (Communities.Notifications.DataObject), `Set(<guid>)`. */
	dataObject: string;
	/** ISO date-time. */
	creationTime: string;
	/** The client that created it. */
	createdBy?: string;
}
