#!/usr/bin/env node
// A buf plugin that writes the API reference of the contracts as Markdown:
// one page per protobuf package and an index. Everything it says comes from
// the descriptors and the comments in proto/; run it with scripts/contract.

import { runNodeJs } from "@bufbuild/protoplugin";
import { create, createFileRegistry } from "@bufbuild/protobuf";
import {
  CodeGeneratorResponseSchema,
  CodeGeneratorResponse_Feature,
  FileDescriptorSetSchema,
} from "@bufbuild/protobuf/wkt";

import { renderIndex, renderPackage } from "./src/markdown.js";
import { Links } from "./src/links.js";

runNodeJs({
  name: "protoc-gen-apidoc",
  version: "1",
  run(request) {
    const registry = createFileRegistry(
      create(FileDescriptorSetSchema, { file: request.protoFile }),
    );
    const packages = groupByPackage(
      request.fileToGenerate.map((name) => registry.getFile(name)),
    );
    const links = new Links(packages);
    const files = [...packages].map(([name, files]) => ({
      name: links.pageOf(name),
      content: renderPackage(name, files, links),
    }));
    files.push({ name: "README.md", content: renderIndex(packages, links) });
    return create(CodeGeneratorResponseSchema, {
      supportedFeatures: BigInt(CodeGeneratorResponse_Feature.PROTO3_OPTIONAL),
      file: files,
    });
  },
});

// Package name → its files, both sorted by name so that the output does not
// depend on the order buf lists the files in.
function groupByPackage(files) {
  const packages = new Map();
  for (const file of [...files].sort((a, b) => a.name.localeCompare(b.name))) {
    const name = file.proto.package;
    if (!packages.has(name)) packages.set(name, []);
    packages.get(name).push(file);
  }
  return new Map([...packages].sort(([a], [b]) => a.localeCompare(b)));
}
