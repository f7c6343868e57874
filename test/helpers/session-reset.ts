/**
 * Jest setup (after the framework): every test starts like a fresh n8n process, with no ERP.net session
 * (core/session keeps tokens per process). A test that needs a token reused runs its executions in itself.
 */
import { resetSessionPools } from '../../core/session';

beforeEach(() => {
	resetSessionPools();
});
