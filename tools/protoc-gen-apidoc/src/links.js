// Where each package, service, message and enum is written: the page of its
// package and the anchor GitHub gives its heading.

// Documentation of the well-known types, which proto/ imports but does not hold.
const WELL_KNOWN = "https://protobuf.dev/reference/protobuf/google.protobuf/";

// What a package page shows, in page order. Messages and enums come in
// declaration order, each nested type right after its parent; the entry
// messages protoc makes for map fields are not types a reader writes.
export function pageContents(files) {
  const services = files.flatMap((file) => file.services);
  const messages = [];
  const enums = [];
  const visit = (message) => {
    if (message.proto.options?.mapEntry) return;
    messages.push(message);
    enums.push(...message.nestedEnums);
    message.nestedMessages.forEach(visit);
  };
  for (const file of files) {
    file.messages.forEach(visit);
    enums.push(...file.enums);
  }
  return { services, messages, enums };
}

// The heading of a service or type: its name inside the package.
export function titleOf(desc) {
  const pkg = desc.file.proto.package;
  return pkg ? desc.typeName.slice(pkg.length + 1) : desc.typeName;
}

export class Links {
  // packages: package name → its files.
  constructor(packages) {
    this.anchors = new Map(); // type or service name → [page, anchor]
    for (const [name, files] of packages) {
      const slugs = new Slugger();
      const page = this.pageOf(name);
      const { services, messages, enums } = pageContents(files);
      // Page order: the title, then each section heading and its entries.
      slugs.slug(name);
      const sections = [
        ["Services", services],
        ["Messages", messages],
        ["Enums", enums],
      ];
      for (const [heading, entries] of sections) {
        if (entries.length === 0) continue;
        slugs.slug(heading);
        for (const desc of entries) {
          this.anchors.set(desc.typeName, [page, slugs.slug(titleOf(desc))]);
        }
      }
    }
  }

  pageOf(packageName) {
    return `${packageName}.md`;
  }

  // A Markdown link to a message or enum, written on the page `fromPage`.
  // Types of the same package are named as in their proto file, others in
  // full.
  to(desc, fromPage) {
    const known = this.anchors.get(desc.typeName);
    if (known === undefined) {
      if (desc.typeName.startsWith("google.protobuf.")) {
        return `[${desc.typeName}](${WELL_KNOWN}#${desc.name.toLowerCase()})`;
      }
      return `\`${desc.typeName}\``;
    }
    const [page, anchor] = known;
    const text = page === fromPage ? titleOf(desc) : desc.typeName;
    const target = page === fromPage ? `#${anchor}` : `${page}#${anchor}`;
    return `[${text}](${target})`;
  }

  // The anchor of a service or type on its own page.
  anchorOf(desc) {
    return this.anchors.get(desc.typeName)[1];
  }
}

// GitHub's heading anchors (as github-slugger makes them): lower case,
// punctuation dropped, spaces made hyphens, and a repeated anchor numbered
// -1, -2, ...
class Slugger {
  constructor() {
    this.occurrences = new Map();
  }

  slug(heading) {
    const original = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M} _-]/gu, "")
      .replace(/ /g, "-");
    let slug = original;
    while (this.occurrences.has(slug)) {
      const count = this.occurrences.get(original) + 1;
      this.occurrences.set(original, count);
      slug = `${original}-${count}`;
    }
    this.occurrences.set(slug, 0);
    return slug;
  }
}
