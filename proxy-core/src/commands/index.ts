/** Every runtime command the object model answers, as CommandSpec tables for the runtime API. */
import type { Model } from '../model/model.ts';
import type { CommandSpec } from '../runtime/command.ts';
import { addServerCommand } from './add-server.ts';
import { backendCommands } from './backend.ts';
import { delServerCommand } from './del-server.ts';
import { serverStateCommands } from './server-state.ts';
import { setBackendCommands } from './set-backend.ts';
import { showServersStateCommand } from './show-servers.ts';
import { showBackendCommand, showStatCommand } from './show-stat.ts';
import { waitCommand } from './wait.ts';

export function modelCommands(model: Model): CommandSpec[] {
  return [
    addServerCommand(model),
    delServerCommand(model),
    ...serverStateCommands(model),
    showServersStateCommand(model),
    showStatCommand(model),
    showBackendCommand(model),
    ...backendCommands(model),
    ...setBackendCommands(model),
    waitCommand(model),
  ];
}
