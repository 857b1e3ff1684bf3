// The Markdown of the reference: one page per package and an index.

import { ScalarType } from "@bufbuild/protobuf";
import { getComments, getPackageComments } from "@bufbuild/protoplugin";

import { pageContents, titleOf } from "./links.js";

const GENERATED =
  "<!-- Generated from proto/ by tools/protoc-gen-apidoc. Do not edit: change " +
  "the comments in the .proto files and run `scripts/contract docs`. -->";

// Where docs/api/ finds proto/, for links to the source files.
const PROTO_DIR = "../../proto";

export function renderPackage(name, files, links) {
  const page = links.pageOf(name);
  const { services, messages, enums } = pageContents(files);
  const out = [`# ${name}`, "", GENERATED, ""];
  const sources = files.map((f) => `[\`${f.proto.name}\`](${PROTO_DIR}/${f.proto.name})`);
  out.push(`[All packages](README.md) · Defined in ${sources.join(", ")}.`, "");
  for (const file of files) {
    const about = clean(getPackageComments(file).leading);
    if (about) out.push(paragraphs(about), "");
  }
  if (services.length > 0) {
    out.push("## Services", "");
    for (const service of services) out.push(...renderService(service, links, page));
  }
  if (messages.length > 0) {
    out.push("## Messages", "");
    for (const message of messages) out.push(...renderMessage(message, links, page));
  }
  if (enums.length > 0) {
    out.push("## Enums", "");
    for (const e of enums) out.push(...renderEnum(e));
  }
  return out.join("\n");
}

export function renderIndex(packages, links) {
  const out = [
    "# Aftercare API reference",
    "",
    GENERATED,
    "",
    "The gRPC contracts of Aftercare, one page per protobuf package, written from",
    `the descriptors and comments in [proto/](${PROTO_DIR}).`,
    "",
    "## Services",
    "",
    "| Service | Package | Summary |",
    "| --- | --- | --- |",
  ];
  for (const [name, files] of packages) {
    const page = links.pageOf(name);
    for (const service of pageContents(files).services) {
      const link = `[${service.name}](${page}#${links.anchorOf(service)})`;
      const summary = cell(firstSentence(describe(service)));
      out.push(`| ${link} | [${name}](${page}) | ${summary} |`);
    }
  }
  out.push("", "## Packages", "");
  for (const [name, files] of packages) {
    const { services, messages, enums } = pageContents(files);
    const counts = [
      count(services.length, "service"),
      count(messages.length, "message"),
      count(enums.length, "enum"),
    ].filter(Boolean);
    out.push(`- [${name}](${links.pageOf(name)}): ${counts.join(", ")}`);
  }
  out.push("");
  return out.join("\n");
}

function renderService(service, links, page) {
  const out = [`### ${titleOf(service)}`, ""];
  const about = describe(service);
  if (about) out.push(paragraphs(about), "");
  if (service.methods.length === 0) {
    out.push("No methods yet.", "");
    return out;
  }
  out.push("| Method | Request | Response | Description |", "| --- | --- | --- | --- |");
  for (const method of service.methods) {
    const streams = (side) => (method.methodKind.includes(side) ? "stream " : "");
    const request = streams("client") + links.to(method.input, page);
    const response = streams("server") + links.to(method.output, page);
    const text = cell(flag(method.deprecated) + describe(method));
    out.push(`| \`${method.name}\` | ${request} | ${response} | ${text} |`);
  }
  out.push("");
  return out;
}

function renderMessage(message, links, page) {
  const out = [`### ${titleOf(message)}`, ""];
  const about = flag(message.deprecated) + describe(message);
  if (about) out.push(paragraphs(about), "");
  if (message.fields.length === 0) {
    out.push("No fields.", "");
    return out;
  }
  out.push("| Field | Number | Type | Description |", "| --- | --- | --- | --- |");
  for (const field of message.fields) {
    const oneof =
      field.oneof && !field.proto.proto3Optional ? `One of \`${field.oneof.name}\`.` : "";
    const text = cell([flag(field.deprecated) + oneof, describe(field)].join(" "));
    out.push(`| \`${field.name}\` | ${field.number} | ${typeOf(field, links, page)} | ${text} |`);
  }
  out.push("");
  return out;
}

function renderEnum(e) {
  const out = [`### ${titleOf(e)}`, ""];
  const about = flag(e.deprecated) + describe(e);
  if (about) out.push(paragraphs(about), "");
  out.push("| Value | Number | Description |", "| --- | --- | --- |");
  for (const value of e.values) {
    const text = cell(flag(value.deprecated) + describe(value));
    out.push(`| \`${value.name}\` | ${value.number} | ${text} |`);
  }
  out.push("");
  return out;
}

function typeOf(field, links, page) {
  const one = (scalar, message, e) =>
    message ? links.to(message, page) : e ? links.to(e, page) : `\`${scalarName(scalar)}\``;
  switch (field.fieldKind) {
    case "list":
      return `repeated ${one(field.scalar, field.message, field.enum)}`;
    case "map":
      return `map&lt;\`${scalarName(field.mapKey)}\`, ${one(field.scalar, field.message, field.enum)}&gt;`;
    default: {
      const optional = field.proto.proto3Optional ? "optional " : "";
      return optional + one(field.scalar, field.message, field.enum);
    }
  }
}

function scalarName(scalar) {
  return ScalarType[scalar].toLowerCase();
}

// The comment above an element and the one after it on the same line.
function describe(desc) {
  const { leading, trailing } = getComments(desc);
  return [clean(leading), clean(trailing)].filter(Boolean).join("\n\n");
}

function flag(deprecated) {
  return deprecated ? "**Deprecated.** " : "";
}

// A comment without the blank its lines start with after `//`.
function clean(comment) {
  if (!comment) return "";
  const lines = comment.replace(/\s+$/, "").split("\n");
  const indents = lines.filter((l) => l.trim()).map((l) => l.match(/^ */)[0].length);
  const indent = Math.min(...indents);
  return lines
    .map((l) => l.slice(indent).trimEnd())
    .join("\n")
    .trim();
}

// A comment as Markdown paragraphs, with `<` shown rather than read as HTML.
function paragraphs(text) {
  return escapeHtml(text);
}

// A comment in one table cell: paragraphs and list items kept apart by <br>.
function cell(text) {
  return escapeHtml(text.trim())
    .replace(/\|/g, "\\|")
    .replace(/\n\n+/g, "<br><br>")
    .replace(/\n(?=\s*(?:[-*] |\d+\. ))/g, "<br>")
    .replace(/\n/g, " ");
}

// `<` and `>` outside code spans, so that `map<K, V>` is not taken for a tag.
function escapeHtml(text) {
  return text
    .split("`")
    .map((part, i) => (i % 2 === 0 ? part.replace(/</g, "&lt;").replace(/>/g, "&gt;") : part))
    .join("`");
}

function firstSentence(text) {
  const paragraph = text.split("\n\n")[0].replace(/\n/g, " ");
  const end = paragraph.search(/\.(\s|$)/);
  return end === -1 ? paragraph : paragraph.slice(0, end + 1);
}

function count(n, noun) {
  return n === 0 ? "" : `${n} ${noun}${n === 1 ? "" : "s"}`;
}
