/** Gray levels shared by impressions and bad frames (8-bit, light background). */
export const GRAY_BACKGROUND_MIN = 228;
export const GRAY_BACKGROUND_MAX = 245;
