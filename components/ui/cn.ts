// Class names for the component layer: clsx's conditional joins, then tailwind-merge so a caller's utility
// (say `px-2`) replaces the component's own (`px-3`) instead of both landing in the class list.
import { type ClassValue, clsx } from "clsx";
import { twMerge } from "tailwind-merge";

export function cn(...inputs: ClassValue[]) {
  return twMerge(clsx(inputs));
}
