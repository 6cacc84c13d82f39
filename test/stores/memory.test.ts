import { createMemoryStores } from '../../src/stores/memory.ts';
import { storeContract } from './store-contract.ts';

storeContract('memory', async () => createMemoryStores());
