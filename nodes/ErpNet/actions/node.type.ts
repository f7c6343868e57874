import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	entity: 'getAll' | 'get' | 'create' | 'update' | 'delete';
};

export type ErpNetType = AllEntities<NodeMap>;
