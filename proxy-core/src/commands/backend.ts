/**
 * Dynamic backends (HAProxy 3.4+): `add backend <name> from <defproxy> [mode tcp|http]
 * [guid <g>]`, `publish backend`, `unpublish backend`, `del backend`. A new backend starts
 * unpublished (traffic is not routed to it) and shares the GUID tree's namespace.
 */
import { invalidNameChar } from '../config/values.ts';
import type { Model } from '../model/model.ts';
import { copyProxySettings, Proxy } from '../model/proxy.ts';
import type { ProxyMode } from '../model/proxy.ts';
import type { CommandSpec } from '../runtime/command.ts';
import { afterVisible, findBackend, line, refuse } from './lookup.ts';

const ADD_USAGE = 'Usage: add backend <name> from <defproxy>.';
const CREATE = 'Error during backend creation : ';

export function backendCommands(model: Model): CommandSpec[] {
  return [
    {
      words: ['add', 'backend'],
      help: 'add backend <name> from <defproxy>      : add a new backend (options: mode <mode>, guid <guid>)',
      level: 'admin',
      run(args) {
        const name = args[2];
        const defName = args[4];
        if (name === undefined || name === '' || args[3] !== 'from' || defName === undefined || defName === '') return refuse(model, 'PXY_ERR_BACKEND_CREATE', ADD_USAGE);
        let mode: ProxyMode | null = null;
        let guid: string | null = null;
        for (let i = 5; i < args.length; i += 2) {
          const k = args[i];
          const v = args[i + 1];
          if (k === 'mode' && (v === 'tcp' || v === 'http')) mode = v;
          else if (k === 'mode') return refuse(model, 'PXY_ERR_BACKEND_CREATE', `${CREATE}unknown proxy mode '${v ?? ''}'.`);
          else if (k === 'guid' && v !== undefined && guid === null) guid = v;
          else if (k === 'guid' && guid !== null) return refuse(model, 'PXY_ERR_BACKEND_CREATE', `${CREATE}GUID insertion : a second 'guid' is rejected (already set to '${guid}').`);
          else return refuse(model, 'PXY_ERR_BACKEND_CREATE', ADD_USAGE);
        }
        const def = model.defaults.get(defName);
        if (def === undefined) return refuse(model, 'PXY_ERR_BACKEND_CREATE', `Cannot find default proxy '${defName}'.`);
        if (mode === null && !def.settings.explicitMode) {
          return refuse(model, 'PXY_ERR_BACKEND_CREATE', `Mode is required as '${defName}' default proxy does not explicitly define it.`);
        }
        const bad = invalidNameChar(name);
        if (bad !== null) return refuse(model, 'PXY_ERR_BACKEND_CREATE', `${CREATE}character '${bad}' is not permitted in 'backend' name '${name}'.`);
        const other = model.proxyNamed(name);
        if (other !== undefined) return refuse(model, 'PXY_ERR_BACKEND_CREATE', `${CREATE}name is already used by other proxy '${other.capName} ${other.name}'.`);
        if (guid !== null) {
          const err = model.guids.check(guid);
          if (err !== null) return refuse(model, 'PXY_ERR_BACKEND_CREATE', `${CREATE}GUID insertion : ${err}.`);
        }
        const settings = copyProxySettings(def.settings);
        if (mode !== null) {
          settings.mode = mode;
          settings.explicitMode = true;
        }
        const be = new Proxy(name, 'backend', settings);
        be.dynamic = true;
        be.published = false;
        be.file = '(cli)';
        model.write(() => {
          model.addProxy(be);
          if (guid !== null) model.insertGuid(be, guid);
        });
        return afterVisible(model, line('New backend registered.'));
      },
    },
    publishCommand(model, true),
    publishCommand(model, false),
    {
      words: ['del', 'backend'],
      help: 'del backend <name>                      : delete a backend',
      level: 'admin',
      run(args) {
        const err = backendRemovable(model, args[2]);
        if (err !== null) return refuse(model, err === 'No such backend.' ? 'PXY_ERR_NO_BACKEND' : 'PXY_ERR_BACKEND_DELETE', err);
        const be = findBackend(model, args[2] ?? '') as Proxy;
        model.write(() => model.removeProxy(be));
        // Its counter slots are freed once every worker applied the removal (`model.reap()`).
        if (model.bus.subscriberCount === 0) model.reap();
        return afterVisible(model, line('Backend deleted.'));
      },
    },
  ];
}

function publishCommand(model: Model, publish: boolean): CommandSpec {
  const verb = publish ? 'publish' : 'unpublish';
  return {
    words: [verb, 'backend'],
    help: `${`${verb} backend <be>`.padEnd(40)}: ${publish ? 'publish a backend (route traffic to it)' : 'unpublish a backend (stop routing traffic to it)'}`,
    level: 'admin',
    run(args) {
      const be = findBackend(model, args[2] ?? '');
      if (be === undefined) return refuse(model, 'PXY_ERR_NO_BACKEND', 'No such backend.');
      if (be.published !== publish) model.write(() => model.setPublished(be, publish));
      return afterVisible(model, line(publish ? 'Backend published.' : 'Backend unpublished.'));
    },
  };
}

/** Checks of `del backend` that `wait … be-removable` polls; null when removable. */
export function backendRemovable(model: Model, ref: string | undefined): string | null {
  const be = findBackend(model, ref ?? '');
  if (be === undefined) return 'No such backend.';
  if (be.cap === 'listen') return 'Cannot delete a listen section.';
  if (be.referenced) return 'This proxy cannot be removed at runtime due to other configuration elements pointing to it.';
  if (be.published) return 'Backend must be unpublished prior to its deletion.';
  if (be.servers.size > 0) return 'Only a backend without server can be deleted.';
  return null;
}
