import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	entity: 'getAll' | 'get' | 'create' | 'update' | 'delete' | 'upsert';
};

export type ErpNetType = AllEntities<NodeMap>;
