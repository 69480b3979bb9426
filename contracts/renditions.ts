// The renditions the processor writes of every upload, as the model hands them to it (RENDITIONS), with their defaults.
import { z } from 'zod';

/** Formats the processor encodes. */
export const renditionFormats = ['jpeg', 'webp', 'png', 'avif'] as const;
export type RenditionFormat = (typeof renditionFormats)[number];

/**
 * Default renditions of the processor. Effort 2, not libwebp's 4: on the bench's photos (`npm run bench -- P1`) it wrote
 * files about 3 % larger in 0.6–0.9× the encoder time, and the encoder is most of an upload's CPU.
 */
export const defaultRenditions = [
  { name: 'thumb', size: 320, format: 'webp' as const, quality: 80, effort: 2 },
  { name: 'preview', size: 1280, format: 'webp' as const, quality: 80, effort: 2 },
];

/**
 * One rendition as the processor reads it: bounds its encoders take. The model (config/schema.ts) checks more on
 * write (per-format limits, unique names) and names the YAML path; this is what the processor needs to be safe.
 */
export const renditionSchema = z.object({
  name: z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, { error: 'must be a DNS label such as thumb' }),
  /** Longest side in pixels; aspect ratio is kept. */
  size: z.number().int().min(1).max(65_535),
  format: z.enum(renditionFormats),
  /** Encoder quality 1–100 (jpeg, webp, avif); unset: the encoder's default. */
  quality: z.number().int().min(1).max(100).optional(),
  /** CPU the encoder spends for smaller files (webp 0–6, avif 0–9); unset: the encoder's default. */
  effort: z.number().int().min(0).max(9).optional(),
});

export type Rendition = z.infer<typeof renditionSchema>;

/** The renditions list (RENDITIONS), 1 to 8 of them, the defaults when unset. */
export const renditionsSchema = z.array(renditionSchema).min(1).max(8).default(defaultRenditions);

/** Largest image the processor accepts by default, in pixels (guards against decompression bombs). */
export const DEFAULT_MAX_PIXELS = 40_000_000;

/** Largest object the processor accepts by default, in bytes; the API signs no larger upload. */
export const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;
