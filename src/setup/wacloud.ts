import { WaCloudChannel } from "../channels/wacloud/channel.js";
import { GraphApiClient } from "../channels/wacloud/graph-api.js";
import { WaCloudTransport } from "../channels/wacloud/transport.js";
import { registerWaCloudWebhook } from "../channels/wacloud/webhook.js";
import { classifyWaCloudFailure } from "../delivery/failure.js";
import type { AppChannelParts, ChannelDeps } from "./deps.js";

/** The WhatsApp Business Cloud API, when its credentials are set: a signed webhook in, the Graph API out. */
export function createWaCloud(deps: ChannelDeps): AppChannelParts<WaCloudChannel> | undefined {
  const { config, logger } = deps;
  if (!config.WACLOUD_ACCESS_TOKEN || !config.WACLOUD_PHONE_NUMBER_ID) return undefined;
  const api = new GraphApiClient({
    root: config.GRAPH_API_ROOT,
    version: config.GRAPH_API_VERSION,
    token: config.WACLOUD_ACCESS_TOKEN,
    phoneNumberId: config.WACLOUD_PHONE_NUMBER_ID,
  });
  const log = logger.child({ channel: "wacloud" });
  const channel = new WaCloudChannel({
    api,
    conversation: deps.conversation,
    store: deps.store,
    policy: deps.policy,
    locales: deps.locales,
    logger: log,
    desk: deps.desk,
    classifyFailure: classifyWaCloudFailure,
  });
  return {
    channel,
    real: true,
    transport: new WaCloudTransport({
      api,
      db: deps.services.database.db,
      locales: deps.locales,
      logger: log,
      template: config.WACLOUD_NOTIFY_TEMPLATE
        ? { name: config.WACLOUD_NOTIFY_TEMPLATE, lang: config.WACLOUD_NOTIFY_TEMPLATE_LANG }
        : undefined,
      ...(deps.now ? { now: deps.now } : {}),
    }),
    routes: (server) =>
      registerWaCloudWebhook(server, {
        path: config.WACLOUD_WEBHOOK_PATH,
        verifyToken: config.WACLOUD_VERIFY_TOKEN!,
        appSecret: config.WACLOUD_APP_SECRET!,
        logger: logger.child({ channel: "wacloud", part: "webhook" }),
        onPayload: (payload) => channel.accept(payload),
      }),
  };
}
