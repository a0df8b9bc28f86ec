/** A 2xx status. A leaf: the rules, the checks and the properties all ask it. */
export const isSuccess = (status: number | undefined): boolean => status !== undefined && status >= 200 && status < 300;
