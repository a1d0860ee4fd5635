// A .proto file as Confluent's serializers register it: its FileDescriptorProto, base64.
import protobuf from "protobufjs";
import descriptorExtension from "protobufjs/ext/descriptor/index.js";

const { FileDescriptorProto } = descriptorExtension as unknown as { FileDescriptorProto: { encode(file: unknown): { finish(): Uint8Array } } };

/** The file's descriptor, named `name` (its path), base64; and the root it was read into. */
export function descriptorBase64(proto: string, name: string): { base64: string; root: protobuf.Root } {
  const root = new protobuf.Root();
  protobuf.parse(proto, root, { keepCase: true });
  root.resolveAll();
  const file = (root as unknown as { toDescriptor(edition: string): { file: Array<{ name?: string }> } }).toDescriptor("proto3").file[0]!;
  file.name = name;
  return { base64: Buffer.from(FileDescriptorProto.encode(file).finish()).toString("base64"), root };
}
