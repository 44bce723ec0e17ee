CREATE TABLE public.v2_readings (sensor int, value numeric, CONSTRAINT value_range CHECK (value BETWEEN -100 AND 100));
CREATE TABLE public.readings (sensor int, value numeric, taken_at timestamptz) INHERITS (public.v2_readings);
