import { Anchor, type AnchorProps, Badge, type BadgeProps, Button, type ButtonProps } from '@mantine/core';
import { type LinkComponent, createLink } from '@tanstack/react-router';
import type { ComponentPropsWithRef, ReactNode } from 'react';

// Mantine components as type-safe router links (typed `to` and `params`).

type AnchorBase = AnchorProps & ComponentPropsWithRef<'a'>;
function AnchorBaseComponent(props: AnchorBase): ReactNode {
  return <Anchor component="a" {...props} />;
}
const CreatedAnchorLink = createLink(AnchorBaseComponent);
export const AnchorLink: LinkComponent<typeof AnchorBaseComponent> = (props) => (
  <CreatedAnchorLink {...props} />
);

type ButtonBase = ButtonProps & ComponentPropsWithRef<'a'>;
function ButtonBaseComponent(props: ButtonBase): ReactNode {
  return <Button component="a" {...props} />;
}
const CreatedButtonLink = createLink(ButtonBaseComponent);
export const ButtonLink: LinkComponent<typeof ButtonBaseComponent> = (props) => (
  <CreatedButtonLink {...props} />
);

type BadgeBase = BadgeProps & ComponentPropsWithRef<'a'>;
function BadgeBaseComponent(props: BadgeBase): ReactNode {
  return <Badge component="a" style={{ cursor: 'pointer' }} {...props} />;
}
const CreatedBadgeLink = createLink(BadgeBaseComponent);
export const BadgeLink: LinkComponent<typeof BadgeBaseComponent> = (props) => <CreatedBadgeLink {...props} />;
