import { useEffect, useRef } from "react";
import { useAppBridge } from "@shopify/app-bridge-react";

/** Shows an App Bridge toast once for each new value of `data` whose message is not null. */
export function useToast<T>(data: T | undefined, message: (data: T) => string | null, isError?: (data: T) => boolean): void {
  const shopify = useAppBridge();
  const shown = useRef<T | undefined>(undefined);
  useEffect(() => {
    if (data === undefined || shown.current === data) return;
    shown.current = data;
    const text = message(data);
    if (text) shopify.toast.show(text, { isError: isError?.(data) ?? false });
  }, [data, message, isError, shopify]);
}
