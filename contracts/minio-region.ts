// The region every MinIO client of wolke signs with: MinIO takes any, and a signer must know one without asking.

export const MINIO_REGION = 'us-east-1';
