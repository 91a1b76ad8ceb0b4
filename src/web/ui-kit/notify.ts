import { type NotificationData, notifications } from '@mantine/notifications';
import i18next from 'i18next';

/** Shows a notification whose close button is labelled in the UI language. */
export function notify(data: NotificationData): void {
  notifications.show({
    ...data,
    closeButtonProps: { 'aria-label': i18next.t('common.close'), ...data.closeButtonProps },
  });
}

export const notifySuccess = (message: string, title?: string) => notify({ color: 'teal', message, title });
export const notifyError = (message: string, title?: string) =>
  notify({ color: 'red', message, title: title ?? i18next.t('errors.title') });
