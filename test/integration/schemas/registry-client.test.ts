// The registry client against the stack's real Schema Registry (Apicurio, Confluent's API): a
// schema registered by subject comes back by id and by version, an id it never gave out is
// "unknown", and a path that is not the API is told apart from a registry.
import { expect, inject, it } from "vitest";
import { RegistryClient, RegistryError } from "../../../main/core/schemas/registry-client.js";
import { uniqueName } from "../../support/clients.js";

const contentType = { "Content-Type": "application/vnd.schemaregistry.v1+json" };

it("reads a registered Avro schema by id and by version, and says which ids it does not know", async () => {
  const url = inject("schemaRegistryUrl");
  const subject = `${uniqueName("orders")}-value`;
  const schema = { type: "record", name: "Order", fields: [{ name: "price", type: { type: "bytes", logicalType: "decimal", precision: 9, scale: 2 } }] };
  const answer = await fetch(`${url}/subjects/${subject}/versions`, {
    method: "POST",
    headers: contentType,
    body: JSON.stringify({ schema: JSON.stringify(schema) }),
  });
  const { id } = (await answer.json()) as { id: number };

  const client = new RegistryClient({ url });
  const byId = await client.schema(id);
  expect(byId).toMatchObject({ id, schemaType: "AVRO", references: [] });
  expect(JSON.parse(byId.schema)).toEqual(schema);
  expect(JSON.parse((await client.version(subject, 1)).schema)).toEqual(schema);

  const unknown = await client.schema(987_654_321).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(unknown).toBeInstanceOf(RegistryError);
  expect((unknown as RegistryError).failure).toBe("unknown");
});
