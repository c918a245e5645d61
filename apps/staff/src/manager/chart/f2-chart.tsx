import { Axis, Chart, Canvas as F2Canvas, Interval, jsx, Line, Point } from '@antv/f2';
import { Canvas } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { createElement, useEffect, useRef } from 'react';
import type { ChartDatum } from './chart-data.ts';

export interface F2ChartProps {
  id: string;
  data: ChartDatum[];
  /** bar: one bar per datum; pie: slices of a ring (shares); line: a series over time (days), one point each. */
  kind: 'bar' | 'pie' | 'line';
  /** Tapping a bar or slice names its datum (its key). */
  onSelect?: (key: string) => void;
}

/** F2's own element factory; its typings want F2's JSX pragma, which these .tsx files (React) do not use. */
const h = jsx as unknown as (type: unknown, props: Record<string, unknown>) => { props: Record<string, unknown> };

const COLORS = ['#a97c50', '#f06292', '#7e57c2', '#26a69a', '#ffa726', '#8d6e63', '#78909c', '#d4e157'];

interface Surface {
  context: CanvasRenderingContext2D;
  width: number;
  height: number;
  pixelRatio: number;
  /** weapp: F2 draws on a canvas node that gets no DOM events, so touches are handed to it. */
  element?: { requestAnimationFrame?: (fn: () => void) => number };
}

/** The drawing surface: a DOM canvas in H5, the type="2d" canvas node in weapp. */
async function surfaceOf(id: string): Promise<Surface | null> {
  if (process.env.TARO_ENV !== 'weapp') {
    const canvas = document.getElementById(id) as HTMLCanvasElement | null;
    const context = canvas?.getContext?.('2d');
    if (!canvas || !context) return null;
    const { width, height } = canvas.getBoundingClientRect();
    const pixelRatio = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * pixelRatio);
    canvas.height = Math.round(height * pixelRatio);
    return { context, width, height, pixelRatio };
  }
  const found = await new Promise<{ node?: HTMLCanvasElement; width: number; height: number } | null>((resolve) =>
    Taro.createSelectorQuery()
      .select(`#${id}`)
      .fields({ node: true, size: true })
      .exec((res) => resolve(res?.[0] ?? null)),
  );
  if (!found?.node) return null;
  const pixelRatio = Taro.getSystemInfoSync().pixelRatio;
  found.node.width = found.width * pixelRatio;
  found.node.height = found.height * pixelRatio;
  const context = found.node.getContext('2d');
  if (!context) return null;
  return { context, width: found.width, height: found.height, pixelRatio, element: found.node as never };
}

function chartOf(props: F2ChartProps) {
  // A ring is one stacked bar in polar coordinates: every slice shares the one x value.
  const data = props.data.map((d) => ({ ...d, ring: 'all' }));
  const selection = props.onSelect
    ? {
        triggerOn: 'click',
        onChange: ({ selected }: { selected: ChartDatum[] | null }) => {
          const key = selected?.[0]?.key;
          if (key) props.onSelect?.(key);
        },
      }
    : undefined;
  if (props.kind === 'pie') {
    return h(Chart, {
      data,
      coord: { type: 'polar', transposed: true, innerRadius: 0.5, radius: 0.85 },
      children: [
        h(Interval, { x: 'ring', y: 'value', adjust: 'stack', color: { field: 'label', range: COLORS }, selection }),
      ],
    });
  }
  if (props.kind === 'line') {
    // A month has up to 31 days: a few ticks on the axis, every day a point.
    return h(Chart, {
      data,
      scale: { label: { tickCount: 6 } },
      children: [
        h(Axis, { field: 'label' }),
        h(Axis, { field: 'value' }),
        h(Line, { x: 'label', y: 'value', color: COLORS[0] }),
        h(Point, { x: 'label', y: 'value', color: COLORS[0], selection }),
      ],
    });
  }
  return h(Chart, {
    data,
    children: [
      h(Axis, { field: 'label' }),
      h(Axis, { field: 'value' }),
      h(Interval, { x: 'label', y: 'value', color: { field: 'label', range: COLORS }, selection }),
    ],
  });
}

/**
 * A chart drawn by AntV F2 on a canvas, in weapp and H5 alike. F2 lives in the manager subpackage only, so the
 * main package never carries it. Every chart has its numbers in a list beside it (the page's job).
 */
export function F2Chart(props: F2ChartProps) {
  const drawn = useRef<InstanceType<typeof F2Canvas> | null>(null);
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const surface = await surfaceOf(props.id);
      if (!surface || cancelled) return;
      const vnode = h(F2Canvas, {
        context: surface.context,
        width: surface.width,
        height: surface.height,
        pixelRatio: surface.pixelRatio,
        animate: false,
        // F2 halves its sizes (px2hd); this keeps axis labels readable on a phone.
        theme: { fontSize: '24px' },
        // In weapp taps come as touches (below); F2 makes clicks of them.
        useNativeClickEvent: process.env.TARO_ENV !== 'weapp',
        ...(surface.element?.requestAnimationFrame
          ? { requestAnimationFrame: surface.element.requestAnimationFrame.bind(surface.element) }
          : {}),
        children: chartOf({ ...latest.current, onSelect: (key) => latest.current.onSelect?.(key) }),
      });
      const canvas = new F2Canvas(vnode.props as unknown as ConstructorParameters<typeof F2Canvas>[0]);
      drawn.current = canvas;
      await canvas.render();
    })();
    return () => {
      cancelled = true;
      drawn.current?.destroy();
      drawn.current = null;
    };
  }, [props.id, JSON.stringify(props.data), props.kind]);

  if (process.env.TARO_ENV !== 'weapp') {
    return createElement('canvas', { id: props.id, className: 'mg__chart', 'data-chart': props.kind });
  }
  const forward = (type: string) => (event: unknown) => {
    const el = drawn.current?.getCanvasEl() as { dispatchEvent?: (type: string, event: unknown) => void } | undefined;
    const e = event as { preventDefault?: () => void };
    if (!e.preventDefault) e.preventDefault = () => {};
    el?.dispatchEvent?.(type, e);
  };
  return (
    <Canvas
      type="2d"
      id={props.id}
      className="mg__chart"
      onTouchStart={forward('touchstart')}
      onTouchMove={forward('touchmove')}
      onTouchEnd={forward('touchend')}
    />
  );
}
