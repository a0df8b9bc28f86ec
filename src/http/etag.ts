/**
 * An entity tag as compared (RFC 9110 §8.8.3): without the weak prefix and the quotes, since clients and services
 * differ in both when they echo one back.
 */
export const bareEtag = (tag: string): string => tag.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
