// Loaded only through dynamic import() from world-map.tsx, after the charts: the world's outline
// (world-atlas 2.0.2, countries-110m, Natural Earth — public domain; docs/adr/0032) and ECharts'
// map series live in this lazy chunk, never in the main one.
import { MapChart } from 'echarts/charts';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import world from 'world-atlas/countries-110m.json';
import { echarts } from '../../../web/ui-kit/echarts-setup';
import { ISO_NUMERIC } from './iso-numeric';

/** The map's name for ECharts' registry. */
export const WORLD = 'arusha-world';

const topology = world as unknown as Topology<{ countries: GeometryCollection<{ name: string }> }>;
const byNumeric = new Map([...ISO_NUMERIC].map(([alpha2, numeric]) => [numeric, alpha2]));

// Each country's feature is named by its ISO alpha-2 code (the key of the series data); Antarctica
// is left out (a band across the bottom of the map, no Customs administration).
const countries = feature(topology, topology.objects.countries) as FeatureCollection<
  Geometry,
  { name: string }
>;
type Ring = number[][];
/** A ring crossing the antimeridian (Fiji, Russia's far east) is drawn east of 180° rather than as
 *  a band across the whole map: ECharts joins the points without wrapping. */
const unwrap = (ring: Ring): Ring =>
  ring.some((p) => p[0]! > 160) && ring.some((p) => p[0]! < -160)
    ? ring.map(([lon, lat]) => [lon! < 0 ? lon! + 360 : lon!, lat!])
    : ring;
const unwrapGeometry = (g: Geometry): Geometry =>
  g.type === 'Polygon'
    ? { ...g, coordinates: g.coordinates.map(unwrap) }
    : g.type === 'MultiPolygon'
      ? { ...g, coordinates: g.coordinates.map((poly) => poly.map(unwrap)) }
      : g;
const features: Feature<Geometry, { name: string }>[] = countries.features.flatMap((f) => {
  const code = f.id ? byNumeric.get(String(f.id)) : f.properties.name === 'Kosovo' ? 'XK' : undefined;
  return code && code !== 'AQ'
    ? [{ ...f, geometry: unwrapGeometry(f.geometry), properties: { name: code } }]
    : [];
});

echarts.use([MapChart]);
echarts.registerMap(WORLD, { type: 'FeatureCollection', features } as never);

/** Is this alpha-2 code a country drawn on the map? */
export const onMap = (code: string) => ISO_NUMERIC.has(code) || code === 'XK';
