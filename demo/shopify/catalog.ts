// The demo shop's catalog and its customers' names (deterministic: the same id always has the same name).
import { FIRST_CUSTOMER_ID } from "./model";

export interface Product {
  id: number;
  title: string;
  price: string;
}

export const CATALOG: Product[] = [
  { id: 8_100_000_001, title: "Linen shirt", price: "45.00" },
  { id: 8_100_000_002, title: "Canvas tote", price: "28.00" },
  { id: 8_100_000_003, title: "Wool beanie", price: "22.00" },
  { id: 8_100_000_004, title: "Trail sneakers", price: "95.00" },
  { id: 8_100_000_005, title: "Rain jacket", price: "120.00" },
  { id: 8_100_000_006, title: "Cotton socks (3 pack)", price: "14.00" },
  { id: 8_100_000_007, title: "Leather belt", price: "38.00" },
  { id: 8_100_000_008, title: "Ceramic mug", price: "18.00" },
];
/** The simulator's "amount" orders: one line of this product at the amount given. */
export const CUSTOM_ITEM: Product = { id: 8_100_000_099, title: "Gift box (custom amount)", price: "0.00" };

const FIRST_NAMES = [
  "Ana",
  "Ben",
  "Chloé",
  "Dev",
  "Elena",
  "Farid",
  "Grace",
  "Hiro",
  "Ines",
  "Jonas",
  "Kemi",
  "Liam",
  "Maya",
  "Noah",
  "Olga",
  "Priya",
  "Quinn",
  "Rosa",
  "Sami",
  "Tess",
  "Uma",
  "Victor",
  "Wen",
  "Yara",
  "Zoe",
  "Amir",
  "Bea",
  "Carlos",
  "Dina",
  "Emil",
];
const LAST_NAMES = [
  "Ruiz",
  "Okafor",
  "Martin",
  "Patel",
  "Novak",
  "Haddad",
  "Kim",
  "Tanaka",
  "Silva",
  "Berg",
  "Adeyemi",
  "Murphy",
  "Cohen",
  "Jensen",
  "Ivanova",
  "Shah",
  "Walsh",
  "Costa",
  "Laine",
  "Moreau",
  "Nair",
  "Duarte",
  "Li",
  "Nasser",
  "Fischer",
  "Rahimi",
  "Lopez",
  "Santos",
  "Kaur",
  "Larsen",
];

export function customerName(id: number): { firstName: string; lastName: string } {
  const n = id - FIRST_CUSTOMER_ID;
  return { firstName: FIRST_NAMES[n % FIRST_NAMES.length]!, lastName: LAST_NAMES[Math.floor(n / FIRST_NAMES.length + n * 7) % LAST_NAMES.length]! };
}

/** A name as an email address can carry it (accents and spaces dropped). */
export function ascii(text: string): string {
  return text.normalize("NFD").replace(/[^A-Za-z]/g, "");
}
