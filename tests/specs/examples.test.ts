/**
 * Every named example of every spec validates with the GENERATED validators: request params per scenario
 * ({path, query, header} assembled from the parameter examples of that name), request bodies, response bodies
 * (by status) and response headers (by status and scenario). Examples are read from the YAML here, not from the
 * generated model, and the generated model is checked to carry the same examples.
 */
import { describe, expect, it } from 'vitest';
import { specs as generatedSpecs } from '../../generated/index.js';
import { expectValid, generatedFor, headersFor, paramsFor, readSpecs, validatorsFor } from './helpers.js';

const files = readSpecs();

describe('the generated specs match specs/', () => {
  it('has one generated spec per spec file, with the same operations', () => {
    const fromYaml = files.map((f) => `${f.service}/${f.apiVersion} ${f.operations.map((o) => o.id).join(',')}`).sort();
    const fromGenerated = generatedSpecs
      .map((s) => `${s.model.service}/${s.model.apiVersion} ${s.model.operations.map((o) => o.id).join(',')}`)
      .sort();
    expect(fromGenerated).toEqual(fromYaml);
    expect(files.length).toBeGreaterThanOrEqual(5);
  });
});

for (const spec of files) {
  describe(spec.file, () => {
    for (const op of spec.operations) {
      const v = validatorsFor(spec.service, spec.apiVersion, op.id);
      const model = generatedFor(spec.service, spec.apiVersion).model.operations.find((o) => o.id === op.id);

      describe(op.id, () => {
        it('has named examples, and the generated model carries exactly the same ones', () => {
          expect(op.scenarios.length).toBeGreaterThan(0);
          expect(model).toBeDefined();
          for (const p of op.params) {
            expect(model?.parameters.find((m) => m.name === p.name && m.in === p.in)?.examples, `${p.in} ${p.name}`).toEqual(p.examples);
          }
          expect(model?.requestBody?.examples).toEqual(op.bodyExamples);
          for (const r of op.responses) {
            const mr = model?.responses.find((m) => m.status === r.status);
            expect(mr?.examples, `response ${r.status}`).toEqual(r.examples);
            for (const h of r.headers) {
              expect(mr?.headers.find((m) => m.name === h.name)?.examples, `response ${r.status} header ${h.name}`).toEqual(h.examples);
            }
          }
        });

        describe.each(op.scenarios)('scenario %s', (scenario) => {
          it('request params validate (params validator)', () => {
            expectValid(v.request.params, paramsFor(op.params, scenario));
          });

          const body = op.bodyExamples?.[scenario];
          if (op.bodyExamples && scenario in op.bodyExamples) {
            it('request body validates (strict and tolerant)', () => {
              expect(v.request.body).toBeDefined();
              if (!v.request.body) return;
              expectValid(v.request.body.strict, body);
              expectValid(v.request.body.tolerant, body);
            });
          }

          for (const r of op.responses) {
            const hasHeaderExample = r.headers.some((h) => scenario in h.examples);
            if (scenario in r.examples) {
              it(`response ${r.status} body validates (strict and tolerant)`, () => {
                const rv = v.responses[r.status];
                expect(rv?.body, `validators for response ${r.status}`).toBeDefined();
                if (!rv?.body) return;
                expectValid(rv.body.strict, r.examples[scenario]);
                expectValid(rv.body.tolerant, r.examples[scenario]);
              });
            }
            if (scenario in r.examples || hasHeaderExample) {
              it(`response ${r.status} headers validate (headers validator)`, () => {
                const rv = v.responses[r.status];
                expect(rv, `validators for response ${r.status}`).toBeDefined();
                if (rv) expectValid(rv.headers, headersFor(r, scenario));
              });
            }
          }
        });
      });
    }
  });
}
