import type { LoaderFunctionArgs } from "@remix-run/node";
import { statusBadge } from "~/server/http/badges.server.ts";

export const loader = ({ params, context }: LoaderFunctionArgs) => statusBadge(context, params.slug, params.serviceId);
