/**
 * A registry schema compiled to read payloads as Connect data: Avro (avsc), Protobuf (protobufjs), JSON Schema. Its
 * own module, loaded when the first schema arrives: a pipeline without a registry converter never loads avsc or
 * protobufjs (docs/performance.md).
 */
import avro from 'avsc';
import { avroParseOptions, avroReader } from './avro-connect.js';
import { avroConnectSchema } from './avro-schema.js';
import type { DecimalFormat } from './connect-json.js';
import { jsonSchemaConnectSchema, jsonSchemaReader } from './json-schema-connect.js';
import { parseProtobufSchema, readMessageIndexes } from './protobuf-connect.js';
import type { RawSchema } from './registry-client.js';
import type { CompiledSchema } from './registry-converter.js';

export function compileSchema(raw: RawSchema, format: DecimalFormat): CompiledSchema {
  switch (raw.kind) {
    case 'AVRO': {
      // Referenced schemas are parsed first into the same name registry, so the main schema can use their names.
      const options = { ...avroParseOptions(format), registry: {} };
      for (const reference of raw.references) avro.Type.forSchema(JSON.parse(reference.text) as avro.Schema, options);
      const type = avro.Type.forSchema(JSON.parse(raw.text) as avro.Schema, options);
      const read = avroReader(type);
      return { kind: 'AVRO', connectSchema: avroConnectSchema(type), read: (bytes, at) => read(bytes.subarray(at)) };
    }
    case 'PROTOBUF': {
      const schema = parseProtobufSchema(raw.text, raw.references, format);
      return {
        kind: 'PROTOBUF',
        connectSchemaOf: (bytes, at) => schema.schemaAt(readMessageIndexes(bytes, at).indexes),
        read: (bytes, at) => {
          const { indexes, next } = readMessageIndexes(bytes, at);
          return schema.readerAt(indexes)(bytes.subarray(next));
        },
      };
    }
    case 'JSON': {
      const read = jsonSchemaReader(raw.text, format);
      return { kind: 'JSON', connectSchema: jsonSchemaConnectSchema(raw.text), read: (bytes, at) => read(bytes.toString('utf8', at)) };
    }
  }
}
